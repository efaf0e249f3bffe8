import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import { QUEUE_CSV_HEADER, queueCsvCells } from '../../../../../electron/backend/queue/export';
import type { QueuePage, QueueRow, QueueSort } from '../../../../../shared/ipc/contract';
import type { ViewId } from '../../../../../shared/domain/views';
import { money } from '../../../../../shared/money';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk;
let backend: Backend;

beforeAll(async () => {
  desk = await startDesk({ seed: 8, orders: 600 });
  ({ backend } = desk);
});

afterAll(async () => {
  await desk.close();
});

async function listAll(view: ViewId, sort: QueueSort, search = ''): Promise<QueueRow[]> {
  const rows: QueueRow[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page: QueuePage = await backend.handle('queue.list', { view, sort, limit: 200, cursor, search, storeId: null });
    rows.push(...page.rows);
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  return rows;
}

/** Splits an RFC 4180 document (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[at + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      at += 1;
    } else field += char;
  }
  return records;
}

describe('queue.exportCsv', () => {
  it.each([
    ['all', 'time_left'],
    ['needs_reply', 'amount'],
    ['done', 'requested_at'],
  ] as const)('writes every row of the view %s in its sort (%s), as queue.list pages through it', async (view, sort) => {
    const expected = await listAll(view, sort);
    // Two empty lists would compare equal: the view has rows to write.
    expect(expected.length).toBeGreaterThan(0);
    const { csv, rows, fileName } = await backend.handle('queue.exportCsv', { view, sort, search: '', storeId: null });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, ...records] = parseCsv(csv.slice(1));
    expect(header).toEqual(QUEUE_CSV_HEADER);
    expect(rows).toBe(expected.length);
    expect(records.map((record) => record[0])).toEqual(expected.map((row) => row.requestId));
    expect(fileName).toMatch(new RegExp(`^cancel-desk-queue-${view}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.csv$`));
  });

  it('writes the search within a view, the rows the queue shows for it', async () => {
    const hostile = (await backend.db.requests.toArray()).find((row) => row.buyerName.startsWith('=HYPERLINK'));
    if (hostile === undefined) throw new Error('the demo data has no hostile buyer name');
    const search = hostile.orderId.slice(0, 6);
    const expected = await listAll('all', 'time_left', search);
    expect(expected.length).toBeGreaterThan(0);
    const result = await backend.handle('queue.exportCsv', { view: 'all', sort: 'time_left', search, storeId: null });
    expect(result.fileName).toContain(`-search-${search.toLowerCase()}-`);
    expect(parseCsv(result.csv.slice(1)).slice(1).map((record) => record[0])).toEqual(expected.map((row) => row.requestId));
    expect(result.rows).toBe(expected.length);
  });

  it('neutralises a buyer name a spreadsheet would run, and quotes what needs quoting', async () => {
    const hostile = (await backend.db.requests.toArray()).find((row) => row.buyerName.startsWith('=HYPERLINK'));
    if (hostile === undefined) throw new Error('the demo data has no hostile buyer name');
    const { csv } = await backend.handle('queue.exportCsv', { view: 'all', sort: 'time_left', search: '', storeId: null });
    const line = csv.split('\r\n').find((text) => text.startsWith(`${hostile.id},`)) ?? '';
    // =HYPERLINK("http://x","y") -> '=HYPERLINK(...), quoted for its comma, quotes doubled.
    expect(line).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
    expect(csv).not.toMatch(/(^|,)=/m);
  });

  it('writes amounts exactly with their currency, the reason, phase and state as the queue reads them', () => {
    const row: QueueRow = {
      requestId: 'R1', orderId: 'O1', storeId: 'S1', kind: 'dispute', reason: 'damaged', state: 'proof_requested', phase: 'after_shipment',
      buyerName: 'Smith, "Jo"', buyerCountry: 'KW', amount: money(12345, 'KWD'), requestedAt: '2026-03-01T00:00:00.000Z',
      respondBy: '2026-03-03T02:00:00.000Z', proofDueAt: null,
    };
    const now = Date.parse('2026-03-01T00:00:00.000Z');
    expect(queueCsvCells(row, now)).toEqual([
      'R1', 'O1', 'S1', 'Smith, "Jo"', 'KW', 'Arrived damaged', '12.345', 'KWD', 'After shipment', 'Proof requested',
      '2026-03-01T00:00:00.000Z', '2026-03-03T02:00:00.000Z', '2 d 2 h',
    ]);
    expect(queueCsvCells({ ...row, amount: money(1500, 'JPY'), phase: null }, now).slice(6, 9)).toEqual(['1500', 'JPY', '']);
  });
});
