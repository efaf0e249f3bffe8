/**
 * The detail pane's stand-in backend and fixtures: `requests.get` and `evidence.get` answered
 * from maps, or held until the test resolves them (to play answers out of order); events fired
 * by hand. Rules values come from the real rules functions, so the panel sees what the backend sends.
 */
import { createDeskApi, type DeskApi } from '../../../../shared/ipc/api';
import type { AuditEntryView, ChannelName, EventName, RequestDetail } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';
import type { Order } from '../../../../shared/domain/order';
import type { CancelRequest } from '../../../../shared/domain/request';
import { allowedActions } from '../../../../shared/rules/actions';
import { DEFAULT_POLICY } from '../../../../shared/rules/policy';
import { recommend } from '../../../../shared/rules/recommend';
import { NOW, at, makeOrder, makeRequest } from '../../shared/factories';

export { NOW, DAY, HOUR, at, makeEvidence, makeLine, makeOrder, makeRequest } from '../../shared/factories';

interface Held {
  channel: ChannelName;
  input: unknown;
  resolve(result: Result<unknown>): void;
}

export interface DetailFake {
  api: DeskApi;
  calls: Array<{ channel: ChannelName; input: unknown }>;
  /** Answers for `requests.get`, by request id. */
  details: Map<string, RequestDetail>;
  /** Answers for `evidence.get`, by evidence id. */
  evidence: Map<string, { contentType: string; dataBase64: string; fetchedAt: string }>;
  /** When true, calls wait in `held` until the test answers them. */
  hold: boolean;
  held: Held[];
  /** Answers the first held call for `requestId` with its current detail (or an error). */
  release(requestId: string, error?: { code: string; message: string }): void;
  emit(event: EventName, payload: unknown): void;
  listenerCount(event: EventName): number;
}

export function createDetailFake(): DetailFake {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const fake: DetailFake = {
    api: undefined as unknown as DeskApi,
    calls: [],
    details: new Map(),
    evidence: new Map(),
    hold: false,
    held: [],
    release(requestId, error) {
      const index = fake.held.findIndex((call) => (call.input as { requestId?: string }).requestId === requestId);
      const [call] = fake.held.splice(index, 1);
      if (index < 0 || call === undefined) throw new Error(`No held call for ${requestId}`);
      call.resolve(error === undefined ? answer(call.channel, call.input) : { ok: false, error });
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };

  function answer(channel: ChannelName, input: unknown): Result<unknown> {
    if (channel === 'requests.get') {
      const id = (input as { requestId: string }).requestId;
      const detail = fake.details.get(id);
      // A copy, as IPC would give: the store must not rely on object identity.
      return detail === undefined ? { ok: false, error: { code: 'requests.not_found', message: `No request ${id}.` } } : { ok: true, value: structuredClone(detail) };
    }
    if (channel === 'evidence.get') {
      const id = (input as { evidenceId: string }).evidenceId;
      const file = fake.evidence.get(id);
      return file === undefined ? { ok: false, error: { code: 'evidence.not_found', message: `No evidence ${id}.` } } : { ok: true, value: file };
    }
    return { ok: false, error: { code: 'test.unexpected_channel', message: `The detail fake does not answer ${channel}.` } };
  }

  fake.api = createDeskApi({
    invoke(channel, input) {
      fake.calls.push({ channel, input });
      if (fake.hold && channel === 'requests.get') {
        return new Promise((resolve) => fake.held.push({ channel, input, resolve }));
      }
      return Promise.resolve(answer(channel, input));
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
  return fake;
}

export function makeAudit(overrides: Partial<AuditEntryView> = {}): AuditEntryView {
  return {
    seq: 1,
    at: at(-30 * 60_000),
    actor: 'you',
    action: 'request_proof',
    requestId: 'req-1',
    orderId: 'order-1',
    batchId: 'batch-1',
    params: {},
    amount: null,
    rulesVersion: '1',
    stateBefore: 'requested',
    stateAfter: 'proof_requested',
    message: 'Asked the buyer for photos.',
    ...overrides,
  };
}

/** A detail as the backend builds it: the rules panel from the real `allowedActions` and `recommend` at NOW. */
export function makeDetail(
  options: { order?: Order | null; request?: Partial<CancelRequest>; detail?: Partial<RequestDetail> } = {},
): RequestDetail {
  const order = options.order === undefined ? makeOrder() : options.order;
  const request = makeRequest(options.request ?? {}, order ?? makeOrder());
  const rules: RequestDetail['rules'] =
    order === null
      ? { available: false, code: 'order_not_synced', message: 'The order has not been synced yet: the rules need it.' }
      : {
          available: true,
          evaluatedAt: at(0),
          actions: allowedActions(order, request, DEFAULT_POLICY, NOW),
          recommendation: recommend(order, request, [], DEFAULT_POLICY, NOW),
        };
  return { request, order, local: null, conflict: null, notes: [], audit: [], assignee: null, rules, ...options.detail };
}
