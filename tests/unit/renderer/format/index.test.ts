import { afterEach, describe, expect, it } from 'vitest';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import { countText, formatAgo, formatDateTime, formatFullDateTime, inSellerTime, isolated } from '../../../../renderer/src/format';

const machineTimeZone = getTimeZone();
afterEach(() => setTimeZone(machineTimeZone));

describe('the renderer\'s formats', () => {
  it('chooses the noun by plural rules: 1 conflict, 0 and 2 conflicts', () => {
    expect(countText(1, 'conflict')).toBe('1 conflict');
    expect(countText(0, 'conflict')).toBe('0 conflicts');
    expect(countText(1_204, 'request')).toBe(`${new Intl.NumberFormat(navigator.language).format(1_204)} requests`);
    expect(countText(2, 'match', 'matches')).toBe('2 matches');
  });

  it('says how long ago in the countdowns\' units', () => {
    expect(formatAgo(3 * 86_400_000 + 5_000)).toBe('3 d ago');
    expect(formatAgo(5 * 3_600_000)).toBe('5 h ago');
    expect(formatAgo(12 * 60_000)).toBe('12 m ago');
    expect(formatAgo(10_000)).toBe('just now');
  });

  it('shows instants, its own and those in rules sentences, in the seller\'s time zone', () => {
    setTimeZone('America/New_York');
    const dueAt = '2026-12-06T04:59:59.999Z';
    expect(formatFullDateTime(dueAt)).toBe('Saturday, December 5, 2026 at 11:59 PM');
    expect(formatDateTime(dueAt)).toBe('Dec 5, 2026, 11:59 PM');
    expect(inSellerTime('Cannot refuse: the buyer has until 2026-12-06 04:59 UTC to send proof.')).toBe(
      'Cannot refuse: the buyer has until Dec 5, 2026, 11:59 PM to send proof.',
    );
    expect(inSellerTime('Nothing to convert.')).toBe('Nothing to convert.');
  });

  it('wraps attribute text between FSI and PDI', () => {
    expect(isolated('Mallory \u202Eeciffo')).toBe('\u2068Mallory \u202Eeciffo\u2069');
  });
});
