import type { Random } from '../../shared/domain/random';

/**
 * The real randomness, injected at the edges (Electron main, browser host) like systemClock: the
 * one place in the backend that draws it. Retry jitter needs spread between clients, not secrecy,
 * so Math.random is enough.
 */
export const systemRandom: Random = () => Math.random();
