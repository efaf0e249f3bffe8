import { describe, expect, it } from 'vitest';
import {
  barOptions,
  outcomesData,
  refundCurrencies,
  refundsPerWeekData,
  requestsPerDayData,
  responseTimeData,
  topSkusData,
  type ChartTheme,
} from '../../../../renderer/src/components/insights/chart-data';
import { makeInsights } from './fixtures';

const theme: ChartTheme = { text: '#000', muted: '#555', grid: '#eee', panel: '#fff', series: ['#a', '#b', '#c'], animate: true };
const figures = makeInsights();

describe('the Insights charts', () => {
  it('stacks requests per day by reason', () => {
    const data = requestsPerDayData(figures, 'en-US', theme);
    expect(data.labels).toEqual(['Mar 2', 'Mar 3', 'Mar 4']);
    expect(data.datasets.map((set) => [set.label, set.data, set.backgroundColor])).toEqual([
      ['Wrong item', [0, 0, 3], '#a'],
      ['Changed mind', [1, 0, 1], '#b'],
      ['Damaged', [2, 0, 0], '#c'],
    ]);
  });

  it('draws outcomes that happened, each in the colour of its place in the list', () => {
    const data = outcomesData(figures, theme);
    expect(data.labels).toEqual(['Accepted', 'Refused', 'Decided by the platform', 'Still open']);
    expect(data.datasets[0]?.data).toEqual([4, 2, 1, 1]);
    expect(data.datasets[0]?.backgroundColor).toEqual(['#a', '#b', '#c', '#a']);
  });

  it('draws time to respond as a percentage of the time allowed', () => {
    expect(responseTimeData(figures, theme).datasets[0]?.data).toEqual([12.5, 54.2]);
  });

  it('groups refunds by currency in major units (JPY whole, KWD three decimals)', () => {
    expect(refundCurrencies(figures)).toEqual(['JPY', 'KWD']);
    const data = refundsPerWeekData(figures, 'en-US', theme);
    expect(data.datasets.map((set) => [set.label, set.data])).toEqual([
      ['JPY', [15000]],
      ['KWD', [1.005]],
    ]);
  });

  it('draws SKUs as horizontal bars', () => {
    expect(topSkusData(figures, theme).datasets[0]?.data).toEqual([3, 2]);
    expect(barOptions(theme, { horizontal: true }).indexAxis).toBe('y');
  });

  it('turns animation off for reduced motion', () => {
    expect(barOptions({ ...theme, animate: false }).animation).toBe(false);
    expect(barOptions(theme).animation).toBeUndefined();
  });
});
