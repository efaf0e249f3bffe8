import type { BuyerReason } from '../../../../shared/domain/request';
import { formatTimeLeft } from '../../../../shared/domain/time';
import type { CsvCell } from '../../../../shared/csv';
import type { Insights } from '../../../../shared/ipc/contract';
import { formatMoney, toDecimalString } from '../../../../shared/money';
import { getTimeZone } from '../../clock';
import { humanize } from '../../format';
import { formatDay } from './range';

/**
 * Each Insights figure as the table beside its chart (what the screen shows, exact money via
 * Intl) and as CSV rows (machine values: ISO days, decimal amounts with a currency column).
 * Both come from the same rows in the same order, so an export matches the screen line by line.
 * Pure: the locale is an argument.
 */
export const INSIGHT_CHARTS = ['requestsPerDay', 'outcomes', 'responseTime', 'refundsPerWeek', 'topSkus', 'repeatCancellers'] as const;
export type InsightChartId = (typeof INSIGHT_CHARTS)[number];

export const CHART_TITLES: Readonly<Record<InsightChartId, string>> = {
  requestsPerDay: 'Requests per day',
  outcomes: 'Outcome mix',
  responseTime: 'Time to respond',
  refundsPerWeek: 'Refunds per week',
  topSkus: 'Products with the most cancellations',
  repeatCancellers: 'Repeat cancellers',
};

export type InsightOutcome = Insights['outcomes'][number]['outcome'];

export const OUTCOME_TITLES: Readonly<Record<InsightOutcome, string>> = {
  accepted: 'Accepted',
  refused: 'Refused',
  proof_requested: 'Proof asked',
  offer: 'Offer made',
  escalated: 'Escalated',
  decided_by_platform: 'Decided by the platform',
  withdrawn: 'Withdrawn by the buyer',
  open: 'Still open',
};

export function reasonTitle(reason: BuyerReason): string {
  return humanize(reason);
}

export interface FigureColumn {
  readonly label: string;
  /** Right-aligned, tabular figures. */
  readonly numeric: boolean;
  /** The marketplace's or a buyer's text (SKUs, titles, names, ids): shown bidi-isolated. */
  readonly untrusted?: boolean;
}

export interface FigureTable {
  readonly caption: string;
  readonly columns: readonly FigureColumn[];
  /** Cell texts as shown; the first cell of a row is its header (`th scope="row"`). */
  readonly rows: readonly (readonly string[])[];
}

export interface FigureCsv {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvCell[])[];
}

export interface Figure {
  readonly table: FigureTable;
  readonly csv: FigureCsv;
}

const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, percent: boolean): Intl.NumberFormat {
  const key = `${locale}|${String(percent)}`;
  let format = NUMBER_FORMATS.get(key);
  if (format === undefined) {
    format = percent
      ? new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
      : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    NUMBER_FORMATS.set(key, format);
  }
  return format;
}

export function formatCount(count: number, locale: string): string {
  return numberFormat(locale, false).format(count);
}

/** A ratio as a percentage with one decimal: 0.125 -> "12.5%". */
export function formatShare(ratio: number, locale: string): string {
  return numberFormat(locale, true).format(ratio);
}

/** A ratio as a percentage number with one decimal, for CSV: 0.125 -> 12.5. */
export function sharePercent(ratio: number): number {
  return Math.round(ratio * 1000) / 10;
}

/** A duration: "3 h 12 m", "2 d 4 h", "< 1 m" (the queue's countdown wording). */
export function formatDuration(ms: number): string {
  return formatTimeLeft(Math.max(0, ms));
}

/** The reasons that occur in the range, in the catalogue order of their first appearance by count. */
export function reasonsInRange(figures: Insights): BuyerReason[] {
  const totals = new Map<BuyerReason, number>();
  for (const day of figures.perDay) {
    for (const [reason, count] of Object.entries(day.byReason) as Array<[BuyerReason, number]>) {
      totals.set(reason, (totals.get(reason) ?? 0) + count);
    }
  }
  return [...totals.entries()].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason]) => reason);
}

export function requestsPerDay(figures: Insights, locale: string): Figure {
  const reasons = reasonsInRange(figures);
  const labels = ['Day', 'Total', ...reasons.map(reasonTitle)];
  return {
    table: {
      caption: `Requests per day by reason, ${formatDay(figures.from, locale)} to ${formatDay(figures.to, locale)}`,
      columns: labels.map((label, index) => ({ label, numeric: index > 0 })),
      rows: figures.perDay.map((day) => [
        formatDay(day.day, locale),
        formatCount(day.total, locale),
        ...reasons.map((reason) => formatCount(day.byReason[reason] ?? 0, locale)),
      ]),
    },
    csv: {
      header: labels,
      rows: figures.perDay.map((day) => [day.day, day.total, ...reasons.map((reason) => day.byReason[reason] ?? 0)]),
    },
  };
}

export function outcomes(figures: Insights, locale: string): Figure {
  const total = figures.outcomes.reduce((sum, entry) => sum + entry.count, 0);
  return {
    table: {
      caption: 'Requests opened in the range, by outcome',
      columns: [
        { label: 'Outcome', numeric: false },
        { label: 'Requests', numeric: true },
        { label: 'Share', numeric: true },
      ],
      rows: figures.outcomes.map((entry) => [
        OUTCOME_TITLES[entry.outcome],
        formatCount(entry.count, locale),
        total === 0 ? '—' : formatShare(entry.count / total, locale),
      ]),
    },
    csv: {
      header: ['Outcome', 'Requests', 'Share (%)'],
      rows: figures.outcomes.map((entry) => [OUTCOME_TITLES[entry.outcome], entry.count, total === 0 ? null : sharePercent(entry.count / total)]),
    },
  };
}

export function responseTime(figures: Insights, locale: string): Figure {
  const time = figures.responseTime;
  const table: string[][] = [];
  const csv: CsvCell[][] = [];
  const duration = (label: string, ms: number | null, ofDeadline: number | null): void => {
    table.push([label, ms === null ? '—' : formatDuration(ms), ofDeadline === null ? '—' : formatShare(ofDeadline, locale)]);
    csv.push([label, ms === null ? null : Math.round(ms), 'ms', ofDeadline === null ? null : sharePercent(ofDeadline)]);
  };
  table.push(['Requests answered', formatCount(time.answered, locale), '']);
  csv.push(['Requests answered', time.answered, 'requests', null]);
  duration('Median time to respond', time.medianMs, time.medianOfDeadline);
  duration('90th percentile', time.p90Ms, time.p90OfDeadline);
  table.push(['Decided by the platform (no answer in time)', formatCount(time.decidedByPlatform, locale), '']);
  csv.push(['Decided by the platform (no answer in time)', time.decidedByPlatform, 'requests', null]);
  for (const total of time.decidedByPlatformCost) {
    const label = `Refunded by platform decisions (${total.currency})`;
    table.push([label, formatMoney(total.amount, locale), '']);
    csv.push([label, toDecimalString(total.amount), total.currency, null]);
  }
  return {
    table: {
      caption: 'Time from a request to the first answer, and what the platform decided',
      columns: [
        { label: 'Measure', numeric: false },
        { label: 'Value', numeric: true },
        { label: 'Share of the time allowed', numeric: true },
      ],
      rows: table,
    },
    csv: { header: ['Measure', 'Value', 'Unit or currency', 'Share of the time allowed (%)'], rows: csv },
  };
}

/** One row per week and currency (amounts in different currencies never add up). */
export function refundsPerWeek(figures: Insights, locale: string): Figure {
  const entries = figures.refundsPerWeek.flatMap((week) => week.totals.map((total) => ({ weekStart: week.weekStart, ...total })));
  return {
    table: {
      caption: 'Refunds paid per week (weeks start on Monday) and currency',
      columns: [
        { label: 'Week of', numeric: false },
        { label: 'Currency', numeric: false },
        { label: 'Refunds', numeric: true },
        { label: 'Amount', numeric: true },
      ],
      rows: entries.map((entry) => [formatDay(entry.weekStart, locale), entry.currency, formatCount(entry.count, locale), formatMoney(entry.amount, locale)]),
    },
    csv: {
      header: ['Week starting', 'Currency', 'Refunds', 'Amount'],
      rows: entries.map((entry) => [entry.weekStart, entry.currency, entry.count, toDecimalString(entry.amount)]),
    },
  };
}

export function topReasonsText(reasons: Insights['topSkus'][number]['topReasons'], locale: string): string {
  return reasons.map((entry) => `${reasonTitle(entry.reason)} (${formatCount(entry.count, locale)})`).join(', ');
}

export function topSkus(figures: Insights, locale: string): Figure {
  return {
    table: {
      caption: 'Products in the most requests, with their most frequent reasons',
      columns: [
        { label: 'SKU', numeric: false, untrusted: true },
        { label: 'Product', numeric: false, untrusted: true },
        { label: 'Requests', numeric: true },
        { label: 'Top reasons', numeric: false },
      ],
      rows: figures.topSkus.map((sku) => [sku.sku, sku.title, formatCount(sku.requests, locale), topReasonsText(sku.topReasons, locale)]),
    },
    csv: {
      header: ['SKU', 'Product', 'Requests', 'Top reasons'],
      rows: figures.topSkus.map((sku) => [sku.sku, sku.title, sku.requests, topReasonsText(sku.topReasons, locale)]),
    },
  };
}

const INSTANT_FORMATS = new Map<string, Intl.DateTimeFormat>();
function formatInstant(iso: string, locale: string): string {
  // In the seller's time zone, as every instant on screen.
  const timeZone = getTimeZone();
  const key = `${locale}|${timeZone}`;
  let format = INSTANT_FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    INSTANT_FORMATS.set(key, format);
  }
  return format.format(new Date(iso));
}

export function repeatCancellers(figures: Insights, locale: string): Figure {
  return {
    table: {
      caption: 'Buyers with several requests in the range, most first',
      columns: [
        { label: 'Buyer', numeric: false, untrusted: true },
        { label: 'Buyer ID', numeric: false, untrusted: true },
        { label: 'Requests', numeric: true },
        { label: 'Last request', numeric: false },
      ],
      rows: figures.repeatCancellers.map((buyer) => [buyer.buyerName, buyer.buyerId, formatCount(buyer.requests, locale), formatInstant(buyer.lastRequestedAt, locale)]),
    },
    csv: {
      header: ['Buyer', 'Buyer ID', 'Requests', 'Last request'],
      rows: figures.repeatCancellers.map((buyer) => [buyer.buyerName, buyer.buyerId, buyer.requests, buyer.lastRequestedAt]),
    },
  };
}

const BUILDERS: Readonly<Record<InsightChartId, (figures: Insights, locale: string) => Figure>> = {
  requestsPerDay,
  outcomes,
  responseTime,
  refundsPerWeek,
  topSkus,
  repeatCancellers,
};

export function figureOf(chart: InsightChartId, figures: Insights, locale: string): Figure {
  return BUILDERS[chart](figures, locale);
}

/** Whether the range holds any request at all (the view shows "No requests in this range" when not). */
export function hasRequests(figures: Insights): boolean {
  return figures.perDay.some((day) => day.total > 0);
}

/** Every figure at once, for the screen. */
export function allFigures(figures: Insights, locale: string): Record<InsightChartId, Figure> {
  return {
    requestsPerDay: requestsPerDay(figures, locale),
    outcomes: outcomes(figures, locale),
    responseTime: responseTime(figures, locale),
    refundsPerWeek: refundsPerWeek(figures, locale),
    topSkus: topSkus(figures, locale),
    repeatCancellers: repeatCancellers(figures, locale),
  };
}
