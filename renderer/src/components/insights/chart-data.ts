import type { ChartData, ChartOptions, TooltipItem } from 'chart.js';
import type { Insights } from '../../../../shared/ipc/contract';
import { formatMoney, toDecimalString, zero } from '../../../../shared/money';
import { untrustedText } from '../../../../shared/rules/text';
import { OUTCOME_TITLES, reasonsInRange, reasonTitle, sharePercent } from './figure-tables';
import { formatDay } from './range';

/**
 * The Insights figures as Chart.js data and options. Pure: colours come in as a theme (read
 * from the CSS variables by the caller) and the locale is an argument. Charts draw money in
 * major units (a float, for bar heights only); tooltips and tables show exact Intl money.
 */
export interface ChartTheme {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly panel: string;
  /** Series colours, used in order. */
  readonly series: readonly string[];
  /** False when the person asked for reduced motion. */
  readonly animate: boolean;
}

const colour = (theme: ChartTheme, index: number): string => theme.series[index % theme.series.length] ?? theme.text;

export function requestsPerDayData(figures: Insights, locale: string, theme: ChartTheme): ChartData<'bar', number[], string> {
  return {
    labels: figures.perDay.map((day) => formatDay(day.day, locale, 'short')),
    datasets: reasonsInRange(figures).map((reason, index) => ({
      label: reasonTitle(reason),
      data: figures.perDay.map((day) => day.byReason[reason] ?? 0),
      backgroundColor: colour(theme, index),
      stack: 'reasons',
    })),
  };
}

export function outcomesData(figures: Insights, theme: ChartTheme): ChartData<'doughnut', number[], string> {
  const shown = figures.outcomes.filter((entry) => entry.count > 0);
  return {
    labels: shown.map((entry) => OUTCOME_TITLES[entry.outcome]),
    datasets: [
      {
        label: 'Requests',
        data: shown.map((entry) => entry.count),
        backgroundColor: shown.map((entry) => colour(theme, figures.outcomes.indexOf(entry))),
        borderColor: theme.panel,
      },
    ],
  };
}

/** Median and p90 as a share of the time the marketplace allowed, in percent (100 = at the deadline). */
export function responseTimeData(figures: Insights, theme: ChartTheme): ChartData<'bar', number[], string> {
  const time = figures.responseTime;
  return {
    labels: ['Median', '90th percentile'],
    datasets: [
      {
        label: '% of the time allowed',
        data: [time.medianOfDeadline, time.p90OfDeadline].map((ratio) => (ratio === null ? 0 : sharePercent(ratio))),
        backgroundColor: [colour(theme, 0), colour(theme, 1)],
      },
    ],
  };
}

/** Currencies in the order they first appear. */
export function refundCurrencies(figures: Insights): string[] {
  return [...new Set(figures.refundsPerWeek.flatMap((week) => week.totals.map((total) => total.currency)))];
}

/**
 * Refunds per week, one dataset per currency; with `only`, that currency's alone (the screen draws
 * one small chart per currency: on a shared axis ¥180,000 would flatten every other currency).
 */
export function refundsPerWeekData(figures: Insights, locale: string, theme: ChartTheme, only?: string): ChartData<'bar', number[], string> {
  const currencies = refundCurrencies(figures);
  return {
    labels: figures.refundsPerWeek.map((week) => formatDay(week.weekStart, locale, 'short')),
    datasets: currencies.flatMap((currency, index) => (only === undefined || only === currency ? [{ currency, index }] : [])).map(({ currency, index }) => ({
      label: currency,
      data: figures.refundsPerWeek.map((week) => {
        const total = week.totals.find((entry) => entry.currency === currency);
        return total === undefined ? 0 : Number(toDecimalString(total.amount));
      }),
      backgroundColor: colour(theme, index),
    })),
  };
}

export function topSkusData(figures: Insights, theme: ChartTheme): ChartData<'bar', number[], string> {
  return {
    // Drawn on a canvas, where no element can isolate them: between FSI and PDI.
    labels: figures.topSkus.map((sku) => untrustedText(sku.sku)),
    datasets: [{ label: 'Requests', data: figures.topSkus.map((sku) => sku.requests), backgroundColor: colour(theme, 0) }],
  };
}

interface BarShape {
  readonly stacked?: boolean;
  readonly horizontal?: boolean;
  readonly legend?: boolean;
  readonly valueTitle?: string;
  /** Tooltip text of one value, when a plain number would mislead (money). */
  readonly tooltip?: (item: TooltipItem<'bar'>) => string;
}

function common(theme: ChartTheme) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: theme.animate ? undefined : (false as const),
    color: theme.text,
    plugins: {
      legend: { labels: { color: theme.text, boxWidth: 12 } },
      tooltip: { backgroundColor: theme.text, titleColor: theme.panel, bodyColor: theme.panel },
    },
  };
}

export function barOptions(theme: ChartTheme, shape: BarShape = {}): ChartOptions<'bar'> {
  const base = common(theme);
  const axis = (title?: string) => ({
    stacked: shape.stacked ?? false,
    ticks: { color: theme.muted },
    grid: { color: theme.grid },
    ...(title === undefined ? {} : { title: { display: true, text: title, color: theme.muted } }),
  });
  return {
    ...base,
    indexAxis: shape.horizontal === true ? 'y' : 'x',
    scales: shape.horizontal === true ? { x: { ...axis(shape.valueTitle), beginAtZero: true }, y: axis() } : { x: axis(), y: { ...axis(shape.valueTitle), beginAtZero: true } },
    plugins: {
      ...base.plugins,
      legend: { ...base.plugins.legend, display: shape.legend ?? true },
      tooltip: { ...base.plugins.tooltip, ...(shape.tooltip === undefined ? {} : { callbacks: { label: shape.tooltip } }) },
    },
  };
}

export function doughnutOptions(theme: ChartTheme): ChartOptions<'doughnut'> {
  const base = common(theme);
  return { ...base, plugins: { ...base.plugins, legend: { ...base.plugins.legend, position: 'right' } } };
}

/** Tooltip of a refunds bar: the exact amount in its currency (the bar's height is only a float). */
export function refundTooltip(figures: Insights, locale: string): (item: TooltipItem<'bar'>) => string {
  return (item) => {
    const currency = item.dataset.label ?? '';
    const week = figures.refundsPerWeek[item.dataIndex];
    const total = week?.totals.find((entry) => entry.currency === currency);
    const amount = total?.amount ?? zero(currency);
    return `${currency}: ${formatMoney(amount, locale)} (${String(total?.count ?? 0)})`;
  };
}
