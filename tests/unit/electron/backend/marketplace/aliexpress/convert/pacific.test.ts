import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantToPacific, pacificToInstant } from '../../../../../../../electron/backend/marketplace/aliexpress/convert';
import { refusal } from './refusal';

const HOUR_MS = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);

/**
 * The test's own oracle for Los Angeles, from the US rules as written in law (the product code
 * reads the runtime's zone data instead): 2007 on, PDT from the second Sunday of March 02:00 PST
 * (10:00 UTC) to the first Sunday of November 02:00 PDT (09:00 UTC); 1987–2006, from the first
 * Sunday of April to the last Sunday of October.
 */
function nthSundayUtc(year: number, month: number, n: number, hourUtc: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const firstSunday = 1 + ((7 - firstWeekday) % 7);
  return Date.UTC(year, month, firstSunday + 7 * (n - 1), hourUtc);
}

function lastSundayUtc(year: number, month: number, hourUtc: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), hourUtc);
}

function daylightSaving(year: number): { start: number; end: number } {
  return year >= 2007
    ? { start: nthSundayUtc(year, 2, 2, 10), end: nthSundayUtc(year, 10, 1, 9) }
    : { start: nthSundayUtc(year, 3, 1, 10), end: lastSundayUtc(year, 9, 9) };
}

function oracleOffset(ms: number): number {
  const { start, end } = daylightSaving(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? -7 * HOUR_MS : -8 * HOUR_MS;
}

function oracleWallText(ms: number): string {
  const iso = new Date(ms + oracleOffset(ms)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const floorToSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

describe('pacificToInstant', () => {
  it.each([
    ['2026-07-01 12:00:00', '2026-07-01T19:00:00.000Z'], // PDT, UTC−7
    ['2026-01-15 12:00:00', '2026-01-15T20:00:00.000Z'], // PST, UTC−8
    ['2026-12-31 23:59:59', '2027-01-01T07:59:59.000Z'],
    ['2026-06-30 17:00:00', '2026-07-01T00:00:00.000Z'],
    ['2024-02-29 08:00:00', '2024-02-29T16:00:00.000Z'], // a leap day
    ['2005-04-03 03:00:00', '2005-04-03T10:00:00.000Z'], // before 2007: DST began in April
    ['2005-10-30 00:59:59', '2005-10-30T07:59:59.000Z'], // and ended on the last Sunday of October
    ['2005-10-30 02:00:00', '2005-10-30T10:00:00.000Z'],
    ['1970-01-01 00:00:00', '1970-01-01T08:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(pacificToInstant(text, 'gmt_create')).toBe(utc(iso));
  });

  describe('the spring gap (2026-03-08, clocks go from 02:00 PST to 03:00 PDT)', () => {
    it('accepts the last second before it, in PST', () => {
      expect(pacificToInstant('2026-03-08 01:59:59', 'gmt_create')).toBe(utc('2026-03-08T09:59:59.000Z'));
    });

    it('accepts the first second after it, in PDT', () => {
      expect(pacificToInstant('2026-03-08 03:00:00', 'gmt_create')).toBe(utc('2026-03-08T10:00:00.000Z'));
    });

    it.each(['2026-03-08 02:00:00', '2026-03-08 02:30:00', '2026-03-08 02:59:59'])('refuses %s, which never happened', (text) => {
      const error = refusal(() => pacificToInstant(text, 'timeout_trigger_time'));
      expect(error.code).toBe('invalid_payload');
      expect(error.message).toBe(`AliExpress sent timeout_trigger_time as "${text}": ${text} does not exist in Los Angeles (clocks went forward).`);
    });

    it('refuses the gap whichever reading is asked for', () => {
      expect(refusal(() => pacificToInstant('2026-03-08 02:30:00', 'f', { ambiguous: 'later' })).message).toContain('clocks went forward');
    });
  });

  describe('the autumn overlap (2026-11-01, 01:00–01:59:59 happens twice)', () => {
    it('reads the repeated hour as the earlier instant (PDT) by default', () => {
      expect(pacificToInstant('2026-11-01 01:30:00', 'timeout_trigger_time')).toBe(utc('2026-11-01T08:30:00.000Z'));
      expect(pacificToInstant('2026-11-01 01:30:00', 'timeout_trigger_time', { ambiguous: 'earlier' })).toBe(utc('2026-11-01T08:30:00.000Z'));
    });

    it('reads it as the later instant (PST) when asked', () => {
      expect(pacificToInstant('2026-11-01 01:30:00', 'modified_date_end', { ambiguous: 'later' })).toBe(utc('2026-11-01T09:30:00.000Z'));
    });

    it.each([
      ['2026-11-01 00:59:59', '2026-11-01T07:59:59.000Z', '2026-11-01T07:59:59.000Z'],
      ['2026-11-01 01:00:00', '2026-11-01T08:00:00.000Z', '2026-11-01T09:00:00.000Z'],
      ['2026-11-01 01:59:59', '2026-11-01T08:59:59.000Z', '2026-11-01T09:59:59.000Z'],
      ['2026-11-01 02:00:00', '2026-11-01T10:00:00.000Z', '2026-11-01T10:00:00.000Z'],
    ])('has %s at its edges: earlier %s, later %s', (text, earlier, later) => {
      expect(pacificToInstant(text, 'f')).toBe(utc(earlier));
      expect(pacificToInstant(text, 'f', { ambiguous: 'later' })).toBe(utc(later));
    });
  });

  it.each([
    ['2026-02-30 10:00:00', '2026-02-30 is not a date of the calendar'],
    ['2025-02-29 10:00:00', '2025-02-29 is not a date of the calendar'],
    ['2026-13-01 10:00:00', '2026-13-01 is not a date of the calendar'],
    ['2026-00-10 10:00:00', '2026-00-10 is not a date of the calendar'],
    ['2026-04-31 10:00:00', '2026-04-31 is not a date of the calendar'],
    ['2026-04-00 10:00:00', '2026-04-00 is not a date of the calendar'],
    ['2026-04-10 24:00:00', '24:00:00 is not a time of day'],
    ['2026-04-10 12:60:00', '12:60:00 is not a time of day'],
    ['2026-04-10 12:00:60', '12:00:60 is not a time of day'],
    ['0000-01-01 00:00:00', 'the year is outside 1900–9999'],
    ['1899-12-31 23:59:59', 'the year is outside 1900–9999'],
  ])('refuses %s: %s', (text, problem) => {
    expect(refusal(() => pacificToInstant(text, 'gmt_create')).message).toBe(`AliExpress sent gmt_create as "${text}": ${problem}.`);
  });

  it.each([
    '2026-04-10T12:00:00',
    '2026-04-10 12:00:00Z',
    '2026-04-10 12:00:00.000',
    '2026-04-10 12:00',
    '2026-4-10 12:00:00',
    '26-04-10 12:00:00',
    ' 2026-04-10 12:00:00',
    '2026-04-10  12:00:00',
    '2026/04/10 12:00:00',
    '04/10/2026 12:00:00',
    '2026-04-10 12:00:00 PDT',
    '２０２６-04-10 12:00:00',
    '',
  ])('refuses the malformed %j', (text) => {
    const error = refusal(() => pacificToInstant(text, 'gmt_create'));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toMatch(/: a time is written yyyy-MM-dd HH:mm:ss, like 2026-03-08 14:30:00 \(Los Angeles time\)\.$/);
  });

  it.each([[null], [undefined], [1_700_000_000_000], [{}]])('refuses %j, which is not a text', (value) => {
    expect(refusal(() => pacificToInstant(value, 'gmt_create')).message).toMatch(/: a time is a text like 2026-03-08 14:30:00 \(Los Angeles time\)\.$/);
  });
});

describe('instantToPacific', () => {
  it.each([
    ['2026-07-01T19:00:00.000Z', '2026-07-01 12:00:00'],
    ['2026-01-15T20:00:00.000Z', '2026-01-15 12:00:00'],
    ['2026-07-01T19:00:00.999Z', '2026-07-01 12:00:00'],
    ['2026-03-08T09:59:59.000Z', '2026-03-08 01:59:59'],
    ['2026-03-08T10:00:00.000Z', '2026-03-08 03:00:00'],
    ['2026-11-01T08:30:00.000Z', '2026-11-01 01:30:00'],
    ['2026-11-01T09:30:00.000Z', '2026-11-01 01:30:00'],
    ['2027-01-01T07:59:59.000Z', '2026-12-31 23:59:59'],
    ['1969-12-31T23:59:59.500Z', '1969-12-31 15:59:59'],
  ])('writes %s as %s', (iso, text) => {
    expect(instantToPacific(utc(iso))).toBe(text);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [9e15], [Date.UTC(1899, 11, 31)], [Date.UTC(10_000, 0, 2)], [-8.64e15], [Date.UTC(-1949, 5, 1)]])('refuses the instant %s', (ms) => {
    const error = refusal(() => instantToPacific(ms));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('it must fall in the years 1900–9999');
  });
});

describe('against the runtime zone data, 1900–2100', () => {
  const DAY_MS = 24 * HOUR_MS;
  const zone = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  /** Los Angeles's offset at `ms`, straight from Intl (independent of the product code and its cache). */
  function zoneOffset(ms: number): number {
    const parts = zone.formatToParts(ms);
    const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
    const second = floorToSecond(ms);
    return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - second;
  }

  /** The wall text Intl gives for an instant. */
  function zoneWallText(ms: number): string {
    return new Date(floorToSecond(ms) + zoneOffset(ms)).toISOString().replace('T', ' ').slice(0, 19);
  }

  it('agrees with the zone data to the second around every change of offset', () => {
    const changes: number[] = [];
    let previous = zoneOffset(Date.UTC(1900, 0, 1));
    for (let day = Date.UTC(1900, 0, 2); day <= Date.UTC(2100, 0, 1); day += DAY_MS) {
      const offset = zoneOffset(day);
      if (offset !== previous) {
        let before = day - DAY_MS;
        let after = day;
        while (after - before > 1000) {
          const middle = floorToSecond((before + after) / 2);
          if (zoneOffset(middle) === previous) before = middle;
          else after = middle;
        }
        changes.push(after);
      }
      previous = offset;
    }
    expect(changes.length).toBeGreaterThan(300);
    expect(changes).toContain(utc('1948-03-14T10:01:00.000Z')); // not on the hour
    for (const change of changes) {
      for (const ms of [change - HOUR_MS, change - 1000, change, change + 1000, change + HOUR_MS - 1000]) {
        const text = instantToPacific(ms);
        expect(text).toBe(zoneWallText(ms));
        for (const ambiguous of ['earlier', 'later'] as const) {
          const instant = pacificToInstant(text, 'f', { ambiguous });
          expect(zoneWallText(instant), `${text} read ${ambiguous}`).toBe(text);
        }
      }
    }
  });

  it('refuses the 1948 gap, which began at 02:01', () => {
    expect(pacificToInstant('1948-03-14 02:00:59', 'f')).toBe(utc('1948-03-14T10:00:59.000Z'));
    expect(refusal(() => pacificToInstant('1948-03-14 02:01:00', 'f')).message).toContain('does not exist in Los Angeles');
    expect(refusal(() => pacificToInstant('1948-03-14 03:00:59', 'f')).message).toContain('does not exist in Los Angeles');
    expect(pacificToInstant('1948-03-14 03:01:00', 'f')).toBe(utc('1948-03-14T10:01:00.000Z'));
  });

  it('reads noon of every week 1900–2040 as the zone data says (war time, 1950s rules and all)', () => {
    for (let day = Date.UTC(1900, 0, 1); day < Date.UTC(2040, 0, 1); day += 7 * DAY_MS) {
      const noon = day + 12 * HOUR_MS;
      const instant = pacificToInstant(`${new Date(day).toISOString().slice(0, 10)} 12:00:00`, 'f');
      expect(instant + zoneOffset(instant)).toBe(noon);
    }
  });

  it('follows the zone data where the rules were not today\'s: 1950–1966 changed at 01:00', () => {
    expect(refusal(() => pacificToInstant('1950-04-30 01:30:00', 'f')).message).toContain('does not exist in Los Angeles');
    expect(pacificToInstant('1950-04-30 00:59:59', 'f')).toBe(utc('1950-04-30T08:59:59.000Z'));
    expect(pacificToInstant('1950-04-30 02:00:00', 'f')).toBe(utc('1950-04-30T09:00:00.000Z'));
  });
});

describe('round trip, 2000–2040', () => {
  const from = utc('2000-01-01T00:00:00.000Z');
  const to = utc('2040-01-01T00:00:00.000Z');
  const anyInstant = fc.integer({ min: from, max: to - 1 });
  // Half the runs land within two hours of a change, where the rules matter.
  const nearAChange = fc
    .tuple(fc.integer({ min: 2000, max: 2039 }), fc.boolean(), fc.integer({ min: -2 * HOUR_MS, max: 2 * HOUR_MS }))
    .map(([year, spring, delta]) => {
      const { start, end } = daylightSaving(year);
      return (spring ? start : end) + delta;
    });
  const instants = fc.oneof(anyInstant, nearAChange);

  /** Whether the wall time at `ms` belongs to the overlap's second (PST) pass, and to its first. */
  function overlapPass(ms: number): 'first' | 'second' | null {
    const { end } = daylightSaving(new Date(ms).getUTCFullYear());
    if (ms >= end && ms < end + HOUR_MS) return 'second';
    if (ms >= end - HOUR_MS && ms < end) return 'first';
    return null;
  }

  it('writes every instant as the law says Los Angeles clocks showed it', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        expect(instantToPacific(ms)).toBe(oracleWallText(ms));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back the instant floored to the second, except the overlap second pass, which reads as the first', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const text = instantToPacific(ms);
        const pass = overlapPass(ms);
        const floored = floorToSecond(ms);
        expect(pacificToInstant(text, 'f')).toBe(pass === 'second' ? floored - HOUR_MS : floored);
        expect(pacificToInstant(text, 'f', { ambiguous: 'later' })).toBe(pass === 'first' ? floored + HOUR_MS : floored);
      }),
      { numRuns: 2000 },
    );
  });
});
