import { describe, expect, it } from 'vitest';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { QueueIndex } from '../../../../../electron/backend/queue/memory-index';

function row(id: string, view: CachedRequest['view'], respondBy: string, amountKey = -100, storeId = 'main'): CachedRequest {
  return { id, view, respondBy, requestedAt: `2026-11-20T00:00:00.${id.slice(-3)}Z`, amountKey, storeId } as CachedRequest;
}

describe('the in-memory queue orders', () => {
  it('serves pages in (value, id) order after a cursor, and follows rows between views', () => {
    const index = new QueueIndex();
    index.load([
      row('r-003', 'needs_reply', '2026-11-26T10:00:00.000Z'),
      row('r-001', 'needs_reply', '2026-11-26T09:00:00.000Z'),
      row('r-002', 'needs_reply', '2026-11-26T10:00:00.000Z'),
      row('r-004', 'done', '2026-11-26T08:00:00.000Z'),
    ]);
    expect(index.page('needs_reply', 'respondBy', null, 10)).toEqual(['r-001', 'r-002', 'r-003']);
    expect(index.page('needs_reply', 'respondBy', ['2026-11-26T10:00:00.000Z', 'r-002'], 10)).toEqual(['r-003']);
    expect(index.page('all', 'respondBy', null, 2)).toEqual(['r-004', 'r-001']);

    // r-002 is decided (moves to done), r-005 arrives, r-001's deadline moves later.
    index.apply([
      row('r-002', 'done', '2026-11-26T10:00:00.000Z'),
      row('r-005', 'needs_reply', '2026-11-26T07:00:00.000Z'),
      row('r-001', 'needs_reply', '2026-11-26T11:00:00.000Z'),
    ]);
    expect(index.page('needs_reply', 'respondBy', null, 10)).toEqual(['r-005', 'r-003', 'r-001']);
    expect(index.page('done', 'respondBy', null, 10)).toEqual(['r-004', 'r-002']);
    expect(index.size('needs_reply')).toBe(3);
    expect(index.size('all')).toBe(5);
  });

  it('keeps each store\'s own orders beside every store\'s, made when its first row arrives; a row that changes store moves', () => {
    const index = new QueueIndex();
    index.load([
      row('r-001', 'needs_reply', '2026-11-26T09:00:00.000Z', -100, 'main'),
      row('r-002', 'needs_reply', '2026-11-26T08:00:00.000Z', -100, 'lantern'),
      row('r-003', 'done', '2026-11-26T07:00:00.000Z', -100, 'lantern'),
      row('r-004', 'needs_reply', '2026-11-26T06:00:00.000Z', -100, 'main'),
    ]);
    expect(index.storeIds().sort()).toEqual(['lantern', 'main']);
    expect(index.page('needs_reply', 'respondBy', null, 10)).toEqual(['r-004', 'r-002', 'r-001']);
    expect(index.page('needs_reply', 'respondBy', null, 10, 'main')).toEqual(['r-004', 'r-001']);
    expect(index.page('needs_reply', 'respondBy', ['2026-11-26T06:00:00.000Z', 'r-004'], 10, 'main')).toEqual(['r-001']);
    expect(index.slice('all', 'respondBy', 1, 10, 'lantern')).toEqual(['r-002']);
    expect([index.size('needs_reply', 'lantern'), index.size('done', 'lantern'), index.size('all', 'lantern')]).toEqual([1, 1, 2]);
    // A store never seen has nothing (and no lists made for it by reading).
    expect([index.size('all', 'ghost'), index.page('all', 'respondBy', null, 10, 'ghost'), index.slice('all', 'amountKey', 0, 10, 'ghost')]).toEqual([0, [], []]);
    expect(index.storeIds()).not.toContain('ghost');

    // r-001 changes store (and nothing else); r-005 is the first row of a new store.
    index.apply([row('r-001', 'needs_reply', '2026-11-26T09:00:00.000Z', -100, 'lantern'), row('r-005', 'offers', '2026-11-26T05:00:00.000Z', -100, 'harbor')]);
    expect(index.page('needs_reply', 'respondBy', null, 10, 'main')).toEqual(['r-004']);
    expect(index.page('needs_reply', 'respondBy', null, 10, 'lantern')).toEqual(['r-002', 'r-001']);
    for (const field of ['respondBy', 'amountKey', 'requestedAt'] as const) {
      expect(index.page('all', field, null, 10, 'main')).toEqual(['r-004']);
      expect(index.page('offers', field, null, 10, 'harbor')).toEqual(['r-005']);
    }
    expect(index.page('needs_reply', 'respondBy', null, 10)).toEqual(['r-004', 'r-002', 'r-001']);
    expect([index.size('all'), index.size('all', 'main'), index.size('all', 'lantern'), index.size('all', 'harbor')]).toEqual([5, 1, 3, 1]);
  });

  it('sorts amounts largest first through the negated key', () => {
    const index = new QueueIndex();
    index.load([row('r-001', 'offers', 'x', -500), row('r-002', 'offers', 'x', -9_000), row('r-003', 'offers', 'x', -500)]);
    expect(index.page('offers', 'amountKey', null, 10)).toEqual(['r-002', 'r-001', 'r-003']);
  });
});
