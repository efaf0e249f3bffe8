import { describe, expect, it } from 'vitest';
import { IsoInstantSchema, formatTimeLeft, instantMs, toInstant } from '../../../../shared/domain/time';

describe('instants', () => {
  it('round-trip between ISO strings and epoch milliseconds', () => {
    expect(instantMs('2026-11-26T09:30:00.000Z')).toBe(Date.UTC(2026, 10, 26, 9, 30));
    expect(toInstant(Date.UTC(2026, 10, 26, 9, 30))).toBe('2026-11-26T09:30:00.000Z');
    expect(IsoInstantSchema.safeParse('2026-11-26T09:30:00.000Z').success).toBe(true);
    expect(IsoInstantSchema.safeParse('2026-11-26T09:30:00+01:00').success).toBe(false);
  });
});

describe('formatTimeLeft', () => {
  it.each([
    [2 * 86_400_000 + 4 * 3_600_000, '2 d 4 h'],
    [3 * 3_600_000 + 12 * 60_000, '3 h 12 m'],
    [12 * 60_000, '12 m'],
    [30_000, '< 1 m'],
    [-5 * 60_000, 'overdue 5 m'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });
});
