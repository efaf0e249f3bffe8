export * from './api';
export * from './contract';
export * from './dispatch';
export * from './result';
