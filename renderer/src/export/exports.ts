import { toCsv } from '../../../shared/csv';
import type { ViewId } from '../../../shared/domain/views';
import type { Insights, QueueSort } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';
import { figureOf, type InsightChartId } from '../components/insights/figure-tables';
import { downloadText } from './download';

/** What an export saved, for the notice. */
export interface Exported {
  readonly fileName: string;
  readonly rows: number;
}

/** The whole queue view (or search; of one store or all) as the backend writes it: RFC 4180, BOM, formulas neutralised. */
export async function exportQueueCsv(query: { view: ViewId; sort: QueueSort; search: string; storeId: string | null }): Promise<Exported> {
  const file = unwrap(await getDesk().exportQueueCsv(query));
  downloadText(file.fileName, file.csv);
  return { fileName: file.fileName, rows: file.rows };
}

/** The whole audit log. */
export async function exportAuditCsv(): Promise<Exported> {
  const file = unwrap(await getDesk().exportAuditCsv({ requestId: null }));
  downloadText(file.fileName, file.csv);
  return { fileName: file.fileName, rows: file.rows };
}

/** Every record set aside at sync (resource, id, reason, excerpt, when), as the backend writes it. */
export async function exportSetAsideCsv(): Promise<Exported> {
  const file = unwrap(await getDesk().exportSetAsideCsv({}));
  downloadText(file.fileName, file.csv);
  return { fileName: file.fileName, rows: file.rows };
}

const FILE_NAMES: Readonly<Record<InsightChartId, string>> = {
  requestsPerDay: 'requests-per-day',
  outcomes: 'outcomes',
  responseTime: 'time-to-respond',
  refundsPerWeek: 'refunds-per-week',
  topSkus: 'top-skus',
  repeatCancellers: 'repeat-cancellers',
};

/** One chart's numbers as CSV, built here from the figures (the same rows as its table). */
export function insightsCsv(chart: InsightChartId, figures: Insights, locale: string): { fileName: string; csv: string; rows: number } {
  const { csv } = figureOf(chart, figures, locale);
  const store = figures.storeId === null ? '' : `-${figures.storeId.replaceAll(/[^\w-]/g, '_')}`;
  return { fileName: `insights-${FILE_NAMES[chart]}${store}-${figures.from}-to-${figures.to}.csv`, csv: toCsv(csv.header, csv.rows), rows: csv.rows.length };
}

export function exportInsightsCsv(chart: InsightChartId, figures: Insights, locale: string): Exported {
  const file = insightsCsv(chart, figures, locale);
  downloadText(file.fileName, file.csv);
  return { fileName: file.fileName, rows: file.rows };
}
