import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RulesInputError, addCalendarDays, calendarDayIn, endOfDayIn, isTimeZone, proofDueAt } from '../../../../shared/rules';
import { defaultProofDueAt } from '../../../../shared/rules/actions';

/** The instant of the issue: 00:57 UTC on 28 November, proof asked for with 7 days. */
const ASKED_AT = Date.parse('2026-11-28T00:57:00.000Z');

const ZONES = ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'Etc/GMT+12', 'America/Santiago'];

describe('proofDueAt: one due instant, the end of a day in the seller\'s zone', () => {
  it('is the end of the day the policy\'s days after today, today as the seller\'s calendar shows it', () => {
    expect(proofDueAt(ASKED_AT, 7, 'UTC')).toBe('2026-12-05T23:59:59.999Z');
    // 19:57 on 27 November in New York: due at the end of 4 December there.
    expect(proofDueAt(ASKED_AT, 7, 'America/New_York')).toBe('2026-12-05T04:59:59.999Z');
    // 09:57 on 28 November in Tokyo: the end of 5 December there.
    expect(proofDueAt(ASKED_AT, 7, 'Asia/Tokyo')).toBe('2026-12-05T14:59:59.999Z');
    expect(proofDueAt(ASKED_AT, 7, 'Asia/Kolkata')).toBe('2026-12-05T18:29:59.999Z');
    expect(defaultProofDueAt({ proofDueDays: 7 }, ASKED_AT, 'Asia/Tokyo')).toBe(proofDueAt(ASKED_AT, 7, 'Asia/Tokyo'));
  });

  it('counts calendar days across a daylight-saving change, and ends a day whose midnight does not exist', () => {
    // Paris moves to summer time on 29 March 2026: 1 April ends at 21:59:59.999 UTC (UTC+2).
    expect(proofDueAt(Date.parse('2026-03-25T12:00:00.000Z'), 7, 'Europe/Paris')).toBe('2026-04-01T21:59:59.999Z');
    // Santiago skips from 24:00 on 5 September to 01:00 on 6 September (2026).
    expect(endOfDayIn('2026-09-05', 'America/Santiago')).toBe(Date.parse('2026-09-06T03:59:59.999Z'));
    expect(calendarDayIn(Date.parse('2026-09-06T04:00:00.000Z'), 'America/Santiago')).toBe('2026-09-06');
  });

  it('ends exactly at the last millisecond of the due day, in every zone (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00.000Z'), max: Date.parse('2099-12-31T00:00:00.000Z') }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(...ZONES),
        (now, days, zone) => {
          const due = Date.parse(proofDueAt(now, days, zone));
          const dueDay = addCalendarDays(calendarDayIn(now, zone), days);
          expect(calendarDayIn(due, zone)).toBe(dueDay);
          expect(calendarDayIn(due + 1, zone)).toBe(addCalendarDays(dueDay, 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads calendar days and refuses what is not one', () => {
    expect(calendarDayIn(ASKED_AT, 'America/New_York')).toBe('2026-11-27');
    expect(addCalendarDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(endOfDayIn('2026-02-31', 'UTC')).toBeNull();
    expect(endOfDayIn('05/12/2026', 'UTC')).toBeNull();
    expect(() => addCalendarDays('2026-02-31', 1)).toThrow(RangeError);
  });

  it('takes only a time zone Intl knows, and says which field is wrong', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
    const error = (() => {
      try {
        proofDueAt(ASKED_AT, 7, 'Mars/Olympus_Mons');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(RulesInputError);
    expect(error).toMatchObject({ code: 'rules.invalid_time_zone', field: 'timeZone' });
    expect(() => proofDueAt(Number.NaN, 7, 'UTC')).toThrow(RulesInputError);
  });
});
