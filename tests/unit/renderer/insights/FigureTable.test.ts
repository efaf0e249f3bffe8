import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import FigureTable from '../../../../renderer/src/components/insights/FigureTable.vue';
import { figureOf } from '../../../../renderer/src/components/insights/figure-tables';
import { topSkusData, type ChartTheme } from '../../../../renderer/src/components/insights/chart-data';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { makeInsights } from './fixtures';

const theme: ChartTheme = { text: '#000', muted: '#555', grid: '#eee', panel: '#fff', series: ['#a', '#b', '#c'], animate: true };

describe('an Insights table', () => {
  it.each(HOSTILE_NAMES)('isolates SKUs, titles, buyer names and ids (%s); the app\'s figures stay outside', (_label, hostile) => {
    const figures = makeInsights({
      topSkus: [{ sku: `SKU-${hostile}`, title: hostile, requests: 3, topReasons: [{ reason: 'damaged', count: 3 }] }],
      repeatCancellers: [{ buyerId: `b-${hostile}`, buyerName: hostile, requests: 4, lastRequestedAt: '2026-03-04T09:30:00.000Z' }],
    });
    const skus = mount(FigureTable, { props: { table: figureOf('topSkus', figures, 'en-US').table, tableId: 'skus' } });
    const skuRow = skus.findAll('tbody tr')[0];
    if (skuRow === undefined) throw new Error('no row');
    expectIsolated(skuRow.find('th'), `SKU-${hostile}`);
    expectIsolated(skuRow.findAll('td')[0] ?? skuRow, hostile);
    // The count and the reasons are the app's: not inside an isolate.
    expect(skuRow.findAll('td')[1]?.find('bdi').exists()).toBe(false);
    expect(skuRow.findAll('td')[1]?.text()).toBe('3');

    const buyers = mount(FigureTable, { props: { table: figureOf('repeatCancellers', figures, 'en-US').table, tableId: 'buyers' } });
    const buyerRow = buyers.findAll('tbody tr')[0];
    if (buyerRow === undefined) throw new Error('no row');
    expectIsolated(buyerRow.find('th'), hostile);
    expectIsolated(buyerRow.findAll('td')[0] ?? buyerRow, `b-${hostile}`);

    // On the chart's canvas no element can isolate the label: FSI ... PDI do.
    expect(topSkusData(figures, theme).labels).toEqual([`\u2068SKU-${hostile}\u2069`]);
  });
});
