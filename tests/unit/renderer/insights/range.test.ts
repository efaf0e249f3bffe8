import { describe, expect, it } from 'vitest';
import { addDays, formatDay, isoDay, presetOf, presetRange, rangeDays, rangeProblem } from '../../../../renderer/src/components/insights/range';

// 2026-03-30T23:30Z: still the 30th in UTC, whatever the machine's zone.
const NOW = Date.parse('2026-03-30T23:30:00.000Z');

describe('Insights date ranges', () => {
  it('counts presets back from today, today included', () => {
    expect(presetRange(7, NOW)).toEqual({ from: '2026-03-24', to: '2026-03-30' });
    expect(presetRange(30, NOW)).toEqual({ from: '2026-03-01', to: '2026-03-30' });
    expect(presetRange(90, NOW)).toEqual({ from: '2025-12-31', to: '2026-03-30' });
    expect(rangeDays(presetRange(90, NOW))).toBe(90);
  });

  it('recognises a preset and a custom range', () => {
    expect(presetOf({ from: '2026-03-24', to: '2026-03-30' }, NOW)).toBe(7);
    expect(presetOf({ from: '2026-03-23', to: '2026-03-30' }, NOW)).toBeNull();
  });

  it('works in UTC days', () => {
    expect(isoDay(NOW)).toBe('2026-03-30');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(formatDay('2026-03-01', 'en-US')).toBe('Mar 1, 2026');
    expect(formatDay('2026-03-01', 'de-DE')).toBe('01.03.2026');
  });

  it('says what is wrong with a typed range', () => {
    expect(rangeProblem({ from: '2026-03-01', to: '2026-03-30' })).toBeNull();
    expect(rangeProblem({ from: '', to: '2026-03-30' })).toBe('Choose a start date.');
    expect(rangeProblem({ from: '2026-03-01', to: '' })).toBe('Choose an end date.');
    expect(rangeProblem({ from: '2026-03-31', to: '2026-03-30' })).toBe('The start date must not be after the end date.');
    expect(rangeProblem({ from: '2025-01-01', to: '2026-03-30' })).toBe('Choose at most a year.');
  });
});
