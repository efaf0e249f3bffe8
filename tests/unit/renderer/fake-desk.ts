import { createDeskApi, type DeskApi } from '../../../shared/ipc/api';
import type { ChannelName, EventName, QueuePage, SyncStatus, ViewCounts } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';

/** A stand-in backend for renderer tests: fixed answers per channel, events fired by hand. */
export interface FakeDesk {
  api: DeskApi;
  calls: Array<{ channel: ChannelName; input: unknown }>;
  emit(event: EventName, payload: unknown): void;
}

export function createFakeDesk(answers: {
  page: QueuePage;
  counts: ViewCounts;
  status: SyncStatus;
  /** Answers for other channels, or functions of the input. */
  more?: Partial<Record<ChannelName, unknown>>;
}): FakeDesk {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: FakeDesk['calls'] = [];
  const values: Partial<Record<ChannelName, unknown>> = {
    'queue.list': answers.page,
    'queue.counts': answers.counts,
    'sync.status': answers.status,
    'sync.now': answers.status,
    'app.info': { version: 'test', dataDir: '/tmp/x', marketplaceUrl: answers.status.marketplaceUrl },
    'outbox.summary': { pending: 0, failed: [], conflicts: 0, refundsPending: [], refundsFailed: [] },
    ...answers.more,
  };
  const api = createDeskApi({
    invoke(channel, input) {
      calls.push({ channel, input });
      const value = values[channel];
      if (value === undefined) {
        return Promise.resolve<Result<unknown>>({ ok: false, error: { code: 'not_faked', message: `The fake desk has no answer for ${channel}.` } });
      }
      return Promise.resolve<Result<unknown>>({ ok: true, value: typeof value === 'function' ? (value as (input: unknown) => unknown)(input) : value });
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
  };
}
