import { describe, expect, it } from 'vitest';
import { money } from '../../../../shared/money';
import { checkDueDate, checkOfferAmount, checkPercent, endOfLocalDay, localDateValue } from '../../../../renderer/src/components/dialogs/validation';
import { groupSkipped } from '../../../../renderer/src/components/dialogs/plan';
import { NOW, makePlan, skipped, willDo } from './factories';

describe('dialog validation helpers', () => {
  it('reads offers in JPY (no decimals) and KWD (three)', () => {
    const yen = { min: money(1, 'JPY'), max: money(48185, 'JPY') };
    expect(checkOfferAmount('48,185', yen, 'en-US')).toEqual({ ok: true, value: money(48185, 'JPY') });
    expect(checkOfferAmount('¥1,000', yen, 'en-US')).toEqual({ ok: true, value: money(1000, 'JPY') });
    expect(checkOfferAmount('12.5', yen, 'en-US')).toEqual({ ok: false, error: 'JPY has no decimals: enter a whole amount.' });
    expect(checkOfferAmount('48,186', yen, 'en-US')).toEqual({ ok: false, error: 'More than the cap (¥48,185).' });
    expect(checkOfferAmount('0', yen, 'en-US')).toEqual({ ok: false, error: 'Less than the minimum (¥1).' });
    const abc = checkOfferAmount('abc', yen, 'en-US');
    expect(abc.ok === false && abc.error.startsWith('Not an amount')).toBe(true);
    const dinar = { min: money(1, 'KWD'), max: money(20_000, 'KWD') };
    expect(checkOfferAmount('1.234', dinar, 'en-US')).toEqual({ ok: true, value: money(1234, 'KWD') });
    expect(checkOfferAmount('1.2345', dinar, 'en-US').ok).toBe(false);
  });

  it('reads a percentage from 1 to 99', () => {
    expect(checkPercent('25')).toEqual({ ok: true, value: 25 });
    expect(checkPercent(' 40 % ')).toEqual({ ok: true, value: 40 });
    for (const bad of ['', '0', '100', '12.5', '-3', 'half']) expect(checkPercent(bad).ok).toBe(false);
  });

  it('turns a local date into the last millisecond of that day, and refuses dates that do not exist', () => {
    expect(endOfLocalDay('2026-11-29')).toBe(new Date(2026, 10, 29, 23, 59, 59, 999).getTime());
    expect(endOfLocalDay('2026-02-31')).toBeNull();
    expect(endOfLocalDay('29/11/2026')).toBeNull();
    expect(checkDueDate('2026-02-31', NOW)).toEqual({ ok: false, error: 'Not a date: choose one from the calendar.' });
    expect(localDateValue(new Date(2026, 0, 5, 12).getTime())).toBe('2026-01-05');
  });

  it('groups skipped items by their sentence, most frequent first, with at most 50 ids each', () => {
    const items = [
      ...Array.from({ length: 53 }, (_, index) => skipped(index, 'proof_required', 'Cannot accept: proof for "Parts missing" over KWD 15.000')),
      skipped(60, 'proof_required', 'Cannot accept: proof for "Claimed counterfeit" over €50.00'),
      skipped(100, 'deadline_passed', 'Cannot accept: too late'),
      willDo(200),
    ];
    const groups = groupSkipped(makePlan(items));
    expect(groups).toHaveLength(3);
    const [first, ...rest] = groups;
    expect(first).toMatchObject({ code: 'proof_required', count: 53, message: 'Cannot accept: proof for "Parts missing" over KWD 15.000', moreCount: 3 });
    expect(first?.shownIds).toHaveLength(50);
    expect(first?.shownIds[0]).toBe('order-0');
    // The same code with another sentence is its own group: no reason is hidden behind another.
    expect(rest).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'proof_required', count: 1, message: 'Cannot accept: proof for "Claimed counterfeit" over €50.00', shownIds: ['order-60'] }),
        expect.objectContaining({ code: 'deadline_passed', count: 1, shownIds: ['order-100'], moreCount: 0 }),
      ]),
    );
  });
});
