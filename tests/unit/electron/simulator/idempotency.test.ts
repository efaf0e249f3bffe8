import { describe, expect, it } from 'vitest';
import { IdempotencyStore, canonicalJson } from '../../../../electron/simulator/idempotency';
import { EventQueue } from '../../../../electron/simulator/scheduler';

describe('canonicalJson', () => {
  it('ignores key order at every level, but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('IdempotencyStore', () => {
  it('claims, reports in-flight and mismatches, replays once done, and forgets a released claim', () => {
    const store = new IdempotencyStore();
    const reply = { status: 200, json: { ok: true } };
    expect(store.claim('k', 'A')).toEqual({ kind: 'claimed' });
    expect(store.claim('k', 'A')).toEqual({ kind: 'in_flight' });
    expect(store.claim('k', 'B')).toEqual({ kind: 'mismatch' });
    store.complete('k', 'A', reply);
    expect(store.claim('k', 'A')).toEqual({ kind: 'replay', reply });
    expect(store.claim('k', 'B')).toEqual({ kind: 'mismatch' });
    expect(store.claim('other', 'A')).toEqual({ kind: 'claimed' });
    store.release('other');
    expect(store.claim('other', 'B')).toEqual({ kind: 'claimed' });
    store.release('k');
    expect(store.claim('k', 'A')).toEqual({ kind: 'replay', reply });
  });
});

describe('EventQueue', () => {
  it('pops due events by time, then insertion order', () => {
    const queue = new EventQueue<string>();
    const times = [50, 10, 30, 10, 70, 20, 30];
    times.forEach((at, index) => queue.push(at, `${at}#${index}`));
    expect(queue.popDue(5)).toBeUndefined();
    const popped: string[] = [];
    for (let due = queue.popDue(60); due !== undefined; due = queue.popDue(60)) popped.push(due.event);
    expect(popped).toEqual(['10#1', '10#3', '20#5', '30#2', '30#6', '50#0']);
    expect(queue.size).toBe(1);
    expect(queue.peekAt()).toBe(70);
  });
});
