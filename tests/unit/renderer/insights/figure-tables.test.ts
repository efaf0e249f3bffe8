import { describe, expect, it } from 'vitest';
import { figureOf, hasRequests, INSIGHT_CHARTS, reasonsInRange } from '../../../../renderer/src/components/insights/figure-tables';
import { insightsCsv } from '../../../../renderer/src/export/exports';
import { emptyInsights, makeInsights } from './fixtures';

const figures = makeInsights();

describe('the Insights tables and their CSV', () => {
  it('lists the reasons of the range, most frequent first', () => {
    // changed_mind 2, damaged 2, wrong_item 3.
    expect(reasonsInRange(figures)).toEqual(['wrong_item', 'changed_mind', 'damaged']);
  });

  it('requests per day: one row per day (zeros included), a column per reason', () => {
    const { table, csv } = figureOf('requestsPerDay', figures, 'en-US');
    expect(table.columns.map((column) => column.label)).toEqual(['Day', 'Total', 'Wrong item', 'Changed mind', 'Damaged']);
    expect(table.rows).toEqual([
      ['Mar 2, 2026', '3', '0', '1', '2'],
      ['Mar 3, 2026', '0', '0', '0', '0'],
      ['Mar 4, 2026', '4', '3', '1', '0'],
    ]);
    expect(csv.rows).toEqual([
      ['2026-03-02', 3, 0, 1, 2],
      ['2026-03-03', 0, 0, 0, 0],
      ['2026-03-04', 4, 3, 1, 0],
    ]);
  });

  it('outcome mix: counts and shares of all requests in the range', () => {
    const { table, csv } = figureOf('outcomes', figures, 'en-US');
    expect(table.rows).toEqual([
      ['Accepted', '4', '50.0%'],
      ['Refused', '2', '25.0%'],
      ['Decided by the platform', '1', '12.5%'],
      ['Still open', '1', '12.5%'],
    ]);
    expect(csv.rows[0]).toEqual(['Accepted', 4, 50]);
    expect(csv.rows[2]).toEqual(['Decided by the platform', 1, 12.5]);
  });

  it('time to respond: median and p90 as durations and shares, platform decisions with their exact cost (KWD, 3 decimals)', () => {
    const { table, csv } = figureOf('responseTime', figures, 'en-US');
    expect(table.rows).toEqual([
      ['Requests answered', '6', ''],
      ['Median time to respond', '3 h 12 m', '12.5%'],
      ['90th percentile', '1 d 2 h', '54.2%'],
      ['Decided by the platform (no answer in time)', '1', ''],
      ['Refunded by platform decisions (KWD)', 'KWD\u00A012.345', ''],
    ]);
    expect(csv.rows).toEqual([
      ['Requests answered', 6, 'requests', null],
      ['Median time to respond', 11_520_000, 'ms', 12.5],
      ['90th percentile', 93_600_000, 'ms', 54.2],
      ['Decided by the platform (no answer in time)', 1, 'requests', null],
      ['Refunded by platform decisions (KWD)', '12.345', 'KWD', null],
    ]);
  });

  it('refunds per week: one row per currency, exact money on screen (JPY 0 decimals, KWD 3) and decimal strings in CSV', () => {
    const { table, csv } = figureOf('refundsPerWeek', figures, 'en-US');
    expect(table.rows).toEqual([
      ['Mar 2, 2026', 'JPY', '2', '¥15,000'],
      ['Mar 2, 2026', 'KWD', '1', 'KWD\u00A01.005'],
    ]);
    expect(csv.header).toEqual(['Week starting', 'Currency', 'Refunds', 'Amount']);
    expect(csv.rows).toEqual([
      ['2026-03-02', 'JPY', 2, '15000'],
      ['2026-03-02', 'KWD', 1, '1.005'],
    ]);
  });

  it('top SKUs with their top reasons', () => {
    const { table } = figureOf('topSkus', figures, 'en-US');
    expect(table.rows).toEqual([
      ['SKU-1', 'Mug, "large"', '3', 'Damaged (2), Changed mind (1)'],
      ['SKU-2', 'Teapot', '2', 'Wrong item (2)'],
    ]);
  });

  it('repeat cancellers keep the ISO instant in CSV', () => {
    const { table, csv } = figureOf('repeatCancellers', figures, 'en-US');
    const shown = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-03-04T09:30:00.000Z'));
    expect(table.rows).toEqual([['=HYPERLINK("http://x")', 'b-9', '3', shown]]);
    expect(csv.rows).toEqual([['=HYPERLINK("http://x")', 'b-9', 3, '2026-03-04T09:30:00.000Z']]);
  });

  it('every figure has as many CSV rows as table rows, and as many CSV columns as the table shows (money split into amount and currency)', () => {
    for (const chart of INSIGHT_CHARTS) {
      const { table, csv } = figureOf(chart, figures, 'en-US');
      expect(csv.rows.length, chart).toBe(table.rows.length);
    }
  });

  it('knows an empty range', () => {
    expect(hasRequests(figures)).toBe(true);
    expect(hasRequests(emptyInsights())).toBe(false);
  });
});

describe('an Insights CSV file', () => {
  it('starts with a BOM, ends lines with CRLF, quotes what needs it and neutralises formulas', () => {
    const file = insightsCsv('repeatCancellers', figures, 'en-US');
    expect(file.fileName).toBe('insights-repeat-cancellers-2026-03-02-to-2026-03-04.csv');
    expect(file.rows).toBe(1);
    expect(file.csv).toBe('\uFEFFBuyer,Buyer ID,Requests,Last request\r\n"\'=HYPERLINK(""http://x"")",b-9,3,2026-03-04T09:30:00.000Z\r\n');
  });

  it('writes money as exact decimals beside the currency', () => {
    const file = insightsCsv('refundsPerWeek', makeInsights({ storeId: 'store/jp' }), 'en-US');
    expect(file.fileName).toBe('insights-refunds-per-week-store_jp-2026-03-02-to-2026-03-04.csv');
    expect(file.csv).toBe('\uFEFFWeek starting,Currency,Refunds,Amount\r\n2026-03-02,JPY,2,15000\r\n2026-03-02,KWD,1,1.005\r\n');
  });

  it('quotes a product title with a comma and quotes', () => {
    expect(insightsCsv('topSkus', figures, 'en-US').csv.split('\r\n')[1]).toBe('SKU-1,"Mug, ""large""",3,"Damaged (2), Changed mind (1)"');
  });
});
