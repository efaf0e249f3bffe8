import { toErrorShape } from '../../../shared/errors';
import { createDeskApi, type DeskApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName, QueuePage, SyncStatus, ViewCounts } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';

/**
 * An answer for a channel: a value, or a function of the input that returns one (or a promise of
 * one, to hold the call until the test resolves it). A function that throws (or rejects) with a
 * `DeskError` answers `{ ok: false }` with its code and message, as the backend's envelope does.
 */
export type FakeAnswer = unknown;

/** A stand-in backend for renderer tests: fixed answers per channel, events fired by hand. */
export interface FakeDesk {
  api: DeskApi;
  calls: Array<{ channel: ChannelName; input: unknown }>;
  emit(event: EventName, payload: unknown): void;
  /** Replaces the answer for `channel` from now on. */
  answer(channel: ChannelName, answer: FakeAnswer): void;
  /** The inputs of the calls made to `channel`, in order. */
  inputsOf(channel: ChannelName): unknown[];
}

const EMPTY_PAGE: QueuePage = { rows: [], nextCursor: null, total: 0, truncated: false };
const NO_COUNTS: ViewCounts = { needs_reply: 0, buyer_replied: 0, proof_requested: 0, proof_in: 0, offers: 0, escalated: 0, conflicts: 0, done: 0, all: 0 };
const IDLE: SyncStatus = { state: 'idle', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0 };

/** What the fake answers: the queue, counts and sync status (empty and idle when left out), and more. */
export interface FakeDeskAnswers {
  page?: QueuePage;
  counts?: ViewCounts;
  status?: SyncStatus;
  /** Answers for other channels, or functions of the input. */
  more?: Partial<Record<ChannelName, FakeAnswer>>;
}

export function createFakeDesk(answers: FakeDeskAnswers = {}): FakeDesk {
  const { page = EMPTY_PAGE, counts = NO_COUNTS, status = IDLE } = answers;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: FakeDesk['calls'] = [];
  const values: Partial<Record<ChannelName, FakeAnswer>> = {
    'queue.list': page,
    'queue.counts': counts,
    // One store unless a test gives more: no Store column, no store filter.
    'queue.storeCounts': {},
    'stores.list': [],
    'sync.status': status,
    'sync.now': status,
    'app.info': { version: 'test', dataDir: '/tmp/x', marketplaceUrl: status.marketplaceUrl },
    'outbox.summary': { pending: 0, failed: [], conflicts: 0, unknown: [], refundsPending: [], refundsFailed: [] },
    ...answers.more,
  };
  const api = createDeskApi({
    async invoke(channel, input): Promise<Result<unknown>> {
      calls.push({ channel, input });
      const value = values[channel];
      if (value === undefined) {
        return { ok: false, error: { code: 'not_faked', message: `The fake desk has no answer for ${channel}.` } };
      }
      try {
        return { ok: true, value: typeof value === 'function' ? await (value as (input: unknown) => unknown)(input) : value };
      } catch (error) {
        return { ok: false, error: toErrorShape(error) };
      }
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
  return {
    api,
    calls,
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    answer(channel, answer) {
      values[channel] = answer;
    },
    inputsOf(channel) {
      return calls.filter((call) => call.channel === channel).map((call) => call.input);
    },
  };
}
