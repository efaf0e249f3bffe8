import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OrderSchema } from '../../../shared/domain/order';
import { CancelRequestSchema } from '../../../shared/domain/request';
import { DeskError } from '../../../shared/errors';
import { describeIssues } from '../../../shared/ipc/dispatch';
import type { CacheDb } from './db';
import { toCachedRequest, toRemoteRequest } from './records';

/**
 * Whole-cache snapshots: written to a temp file, fsynced, then atomically renamed over the
 * previous one, so a crash leaves either the old or the new snapshot, never half of one.
 * (The journal of design.md §4 will make every transaction durable on top of this.)
 */
const SNAPSHOT_FILE = 'cache.snapshot.json';
const FORMAT = 1;

const SnapshotSchema = z.object({
  format: z.literal(FORMAT),
  orders: z.array(OrderSchema),
  requests: z.array(CancelRequestSchema),
  settings: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
  syncMarks: z.array(
    z.object({
      resource: z.string(),
      since: z.string().nullable(),
      cursor: z.string().nullable(),
      lastSyncAt: z.string().nullable(),
    }),
  ),
});

export function snapshotPath(dataDir: string): string {
  return join(dataDir, SNAPSHOT_FILE);
}

export async function saveSnapshot(db: CacheDb, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const [orders, requests, syncMarks, settings] = await db.transaction('r', [db.orders, db.requests, db.syncMarks, db.settings], () =>
    Promise.all([db.orders.toArray(), db.requests.toArray(), db.syncMarks.toArray(), db.settings.toArray()]),
  );
  const plainRequests = requests.map(toRemoteRequest);
  const body = JSON.stringify({ format: FORMAT, orders, requests: plainRequests, syncMarks, settings });
  const target = snapshotPath(dataDir);
  const temp = `${target}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(body, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, target);
  const dir = await open(dataDir, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Moves a snapshot that could not be read out of the way (never deleting it), so the next save
 * cannot overwrite what may still be recovered by hand. Answers the new path.
 */
export async function setAsideSnapshot(dataDir: string, nowMs: number): Promise<string> {
  const aside = join(dataDir, `cache.snapshot.damaged-${nowMs}.json`);
  await rename(snapshotPath(dataDir), aside);
  return aside;
}

/** Loads the snapshot into an empty cache; answers whether there was one. */
export async function loadSnapshot(db: CacheDb, dataDir: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(snapshotPath(dataDir), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DeskError('invalid_payload', `The cache snapshot ${snapshotPath(dataDir)} is not valid JSON.`);
  }
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    throw new DeskError(
      'invalid_payload',
      `The cache snapshot ${snapshotPath(dataDir)} is damaged (${describeIssues(parsed.error).slice(0, 300)}).`,
    );
  }
  const { orders, requests, syncMarks, settings } = parsed.data;
  const ordersById = new Map(orders.map((order) => [order.id, order]));
  await db.transaction('rw', [db.orders, db.requests, db.syncMarks, db.settings], async () => {
    for (let start = 0; start < orders.length; start += 1000) {
      await db.orders.bulkPut(orders.slice(start, start + 1000));
    }
    for (let start = 0; start < requests.length; start += 1000) {
      await db.requests.bulkPut(
        requests.slice(start, start + 1000).map((request) => toCachedRequest(request, ordersById.get(request.orderId))),
      );
    }
    await db.syncMarks.bulkPut(syncMarks);
    await db.settings.bulkPut(settings.map((row) => ({ key: row.key, value: row.value })));
  });
  return true;
}
