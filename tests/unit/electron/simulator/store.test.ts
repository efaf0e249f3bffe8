import { describe, expect, it } from 'vitest';
import { RecordStore, compareKeys } from '../../../../electron/simulator/store';

interface Item {
  readonly id: string;
  readonly updatedAt: string;
  readonly value: number;
}

const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

function makeStore(): RecordStore<Item> {
  return new RecordStore<Item>([
    { id: 'c', updatedAt: at(1), value: 1 },
    { id: 'a', updatedAt: at(2), value: 1 },
    { id: 'b', updatedAt: at(1), value: 1 },
    { id: 'd', updatedAt: at(3), value: 1 },
  ]);
}

describe('RecordStore', () => {
  it('orders the feed by (updatedAt, id)', () => {
    expect(makeStore().list().map((item) => item.id)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('pages from a since bound (inclusive) and after a key (exclusive)', () => {
    const store = makeStore();
    expect(store.page({ since: at(2), after: null, limit: 10 }).items.map((item) => item.id)).toEqual(['a', 'd']);
    const page = store.page({ since: null, after: { updatedAt: at(1), id: 'b' }, limit: 2 });
    expect(page.items.map((item) => item.id)).toEqual(['c', 'a']);
    expect(page.lastKey).toEqual({ updatedAt: at(2), id: 'a' });
    expect(page.hasMore).toBe(true);
    const last = store.page({ since: null, after: { updatedAt: at(2), id: 'a' }, limit: 2 });
    expect(last.items.map((item) => item.id)).toEqual(['d']);
    expect(last.hasMore).toBe(false);
  });

  it('moves an updated record to the end of the feed and hides the old version', () => {
    const store = makeStore();
    store.put({ id: 'b', updatedAt: at(4), value: 2 });
    expect(store.list().map((item) => `${item.id}${item.value}`)).toEqual(['c1', 'a1', 'd1', 'b2']);
    expect(store.size).toBe(4);
    expect(store.get('b')?.value).toBe(2);
    const page = store.page({ since: null, after: null, limit: 3 });
    expect(page.items.map((item) => item.id)).toEqual(['c', 'a', 'd']);
    expect(page.hasMore).toBe(true);
  });

  it('refuses a change that would sort before the end of the feed', () => {
    const store = makeStore();
    expect(() => store.put({ id: 'a', updatedAt: at(3), value: 2 })).toThrow(/later updatedAt/);
  });

  it('stays correct across compaction', () => {
    const store = new RecordStore<Item>([]);
    for (let round = 0; round < 5; round++) {
      for (let index = 0; index < 1_000; index++) {
        const stamp = new Date(Date.UTC(2026, 0, 1) + round * 1_000 + index).toISOString();
        store.put({ id: `k${String(index).padStart(4, '0')}`, updatedAt: stamp, value: round });
      }
    }
    const items = store.list();
    expect(items).toHaveLength(1_000);
    expect(items.every((item) => item.value === 4)).toBe(true);
    expect(store.before({ updatedAt: items[10]?.updatedAt ?? '', id: items[10]?.id ?? '' }, 3)).toEqual(items.slice(7, 10));
  });

  it('compares keys by time, then id', () => {
    expect(compareKeys({ updatedAt: at(1), id: 'z' }, { updatedAt: at(2), id: 'a' })).toBe(-1);
    expect(compareKeys({ updatedAt: at(1), id: 'b' }, { updatedAt: at(1), id: 'a' })).toBe(1);
    expect(compareKeys({ updatedAt: at(1), id: 'a' }, { updatedAt: at(1), id: 'a' })).toBe(0);
  });
});
