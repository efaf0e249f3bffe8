export * from './order';
export * from './request';
export * from './time';
export * from './views';
