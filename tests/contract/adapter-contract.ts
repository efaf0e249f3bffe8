/**
 * The contract every marketplace adapter passes (electron/backend/marketplace/<kind>/): listing
 * and marks, every action and its refusals, reading the outcome of an earlier attempt (applied,
 * answer lost, not applied), capabilities consistent with what `act` accepts, and evidence.
 * A marketplace plugs in with one adapter folder, one sandbox, and a harness for this suite.
 */
import { describe, expect, it } from 'vitest';
import type { ActionCall, ActionName, Attachment, MarketplaceAdapter } from '../../electron/backend/marketplace/adapter';
import { CAPABILITY_ACTIONS, MarketplaceCapabilitiesSchema, type CapabilityAction } from '../../shared/domain/marketplace';
import type { CancelRequest, RequestKind } from '../../shared/domain/request';
import { DeskError } from '../../shared/errors';
import type { Money } from '../../shared/money';
import { jpegPhoto, pngPhoto } from '../support/photos';

/** A sandbox of the marketplace, on the test's own clock, with what the suite needs to steer it. */
export interface AdapterHarness {
  readonly adapter: MarketplaceAdapter;
  /** A request of this kind the seller can act on now, untouched by earlier tests. */
  freshRequest(kind: RequestKind): Promise<CancelRequest>;
  /** The decision's parameters for an action on this request (the body the desk would store). */
  body(action: CapabilityAction, request: CancelRequest): Record<string, unknown>;
  /** While `work` runs, every action the marketplace handles is applied and its answer lost on the way back. */
  withLostAnswers<T>(work: () => Promise<T>): Promise<T>;
  /** While `work` runs, no action reaches the marketplace's handler (it fails before, as a gateway error or a drop). */
  withCallsFailingBeforeHandling<T>(work: () => Promise<T>): Promise<T>;
  /** What the marketplace applied for this request on the seller's behalf, oldest first. */
  appliedActions(requestId: string): Promise<Array<{ action: ActionName; refund: Money | null }>>;
  /** A buyer writes to the seller about this request now (the sandbox's own way). */
  buyerWrites(requestId: string, text: string): Promise<void>;
  /** The body the desk stores for a message to the buyer written now. */
  messageBody(text: string): Record<string, unknown>;
  /** An evidence file of a buyer, by id, that the marketplace serves as an image. */
  evidenceId(): Promise<string>;
  /**
   * The seller's photos the marketplace holds for this request, oldest first, and the seller action
   * each went with (null: uploaded, named by none), read from its own records.
   */
  uploadsOf(requestId: string): Promise<Array<{ contentType: string; bytes: number; sentWith: ActionName | null }>>;
  close(): Promise<void>;
}

const ACTION_NAMES: Readonly<Record<CapabilityAction, ActionName>> = {
  accept: 'accept',
  refuse: 'refuse',
  request_proof: 'request-evidence',
  offer: 'offer',
  escalate: 'escalate',
};

/**
 * What the desk sends for a decision: on a marketplace without a proof endpoint, asking for proof
 * is a message to the buyer (decide.ts `marketplaceCall`).
 */
function sentAs(harness: AdapterHarness, action: CapabilityAction, kind: RequestKind): ActionName {
  const { capabilities } = harness.adapter;
  return action === 'request_proof' && capabilities.proofRequest === 'message' && capabilities.actions[kind].includes(action) ? 'message' : ACTION_NAMES[action];
}

let calls = 0;
function callFor(harness: AdapterHarness, action: CapabilityAction, request: CancelRequest): ActionCall {
  calls += 1;
  const name = sentAs(harness, action, request.kind);
  return {
    id: `contract-${calls}-${action}`,
    requestId: request.id,
    orderId: request.orderId,
    action: name,
    body: name === 'message' && action === 'request_proof' ? harness.messageBody('Please send photos of the item by Friday.') : harness.body(action, request),
  };
}

/** Every page of a feed from a mark, as sync reads it. */
async function readFeed<T>(list: (params: { updatedSince: string | null; cursor: string | null; limit: number }) => Promise<{ items: T[]; nextCursor: string | null; quarantined: unknown[] }>, updatedSince: string | null, limit: number): Promise<{ items: T[]; pages: number; quarantined: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let quarantined = 0;
  do {
    const page = await list({ updatedSince, cursor, limit });
    items.push(...page.items);
    quarantined += page.quarantined.length;
    pages += 1;
    cursor = page.nextCursor;
    if (pages > 10_000) throw new Error('the feed never ends');
  } while (cursor !== null);
  return { items, pages, quarantined };
}

export function runAdapterContract(name: string, open: () => Promise<AdapterHarness>): void {
  describe(`marketplace adapter contract: ${name}`, () => {
    const withHarness = (body: (harness: AdapterHarness) => Promise<void>) => async () => {
      const harness = await open();
      try {
        await body(harness);
      } finally {
        await harness.close();
      }
    };

    it(
      'declares valid capabilities, naming the marketplace, with accept and refuse for both kinds',
      withHarness(({ adapter }) => {
        expect(MarketplaceCapabilitiesSchema.parse(adapter.capabilities)).toEqual(adapter.capabilities);
        expect(adapter.capabilities.kind).toBe(adapter.kind);
        for (const kind of ['cancel', 'dispute'] as const) {
          expect(adapter.capabilities.actions[kind]).toEqual(expect.arrayContaining(['accept', 'refuse']));
        }
        return Promise.resolve();
      }),
    );

    it(
      'lists every order and request once across pages, and from a mark only what changed at or after it',
      withHarness(async ({ adapter }) => {
        const orders = await readFeed((params) => adapter.listOrders(params), null, 7);
        const requests = await readFeed((params) => adapter.listRequests(params), null, 7);
        expect(orders.items.length).toBeGreaterThan(7);
        expect(orders.pages).toBeGreaterThan(1);
        expect(new Set(orders.items.map((order) => order.id)).size).toBe(orders.items.length);
        expect(new Set(requests.items.map((request) => request.id)).size).toBe(requests.items.length);
        expect(orders.quarantined + requests.quarantined).toBe(0);
        const orderIds = new Set(orders.items.map((order) => order.id));
        for (const request of requests.items) expect(orderIds.has(request.orderId)).toBe(true);

        const times = requests.items.map((request) => request.updatedAt).sort();
        const mark = times[Math.floor(times.length / 2)] ?? '';
        const since = await readFeed((params) => adapter.listRequests(params), mark, 7);
        expect(since.items.length).toBeGreaterThan(0);
        expect(since.items.length).toBeLessThan(requests.items.length);
        for (const request of since.items) expect(request.updatedAt >= mark).toBe(true);
        expect(since.items.map((request) => request.id).sort()).toEqual(requests.items.filter((request) => request.updatedAt >= mark).map((request) => request.id).sort());
      }),
    );

    for (const kind of ['cancel', 'dispute'] as const) {
      for (const action of CAPABILITY_ACTIONS) {
        it(
          `${kind} / ${action}: applied once when the capabilities have it, refused (never applied) when not`,
          withHarness(async (harness) => {
            const request = await harness.freshRequest(kind);
            const outcome = await harness.adapter.act(callFor(harness, action, request));
            const applied = await harness.appliedActions(request.id);
            if (harness.adapter.capabilities.actions[kind].includes(action)) {
              expect(outcome.kind).toBe('applied');
              if (outcome.kind !== 'applied') return;
              expect(outcome.result.request.id).toBe(request.id);
              // A message changes no state of the request (the desk tracks the proof request itself).
              if (sentAs(harness, action, kind) !== 'message') expect(outcome.result.request.version).toBeGreaterThan(request.version);
              expect(applied.map((entry) => entry.action)).toEqual([sentAs(harness, action, kind)]);
              expect(outcome.result.refund).toEqual(applied[0]?.refund ?? null);
            } else {
              expect(outcome.kind).toBe('rejected');
              expect(applied).toEqual([]);
            }
          }),
        );
      }
    }

    it(
      'refuses a decision made on a state that moved on, and a second copy of an applied one, without applying anything twice',
      withHarness(async (harness) => {
        const request = await harness.freshRequest('dispute');
        const first = callFor(harness, 'accept', request);
        expect((await harness.adapter.act(first)).kind).toBe('applied');
        // The same decision again (a new attempt, as after a crash): never a second refund.
        const again = await harness.adapter.act({ ...first, id: `${first.id}-again` });
        expect(['conflict', 'rejected']).toContain(again.kind);
        // Another decision made on the old state.
        const stale = await harness.adapter.act(callFor(harness, 'refuse', request));
        expect(['conflict', 'rejected']).toContain(stale.kind);
        expect((await harness.appliedActions(request.id)).map((entry) => entry.action)).toEqual(['accept']);
      }),
    );

    it(
      'reads the outcome: applied after a normal answer, applied when the answer was lost, not applied when the call never arrived',
      withHarness(async (harness) => {
        const { adapter } = harness;
        const answered = await harness.freshRequest('dispute');
        const answeredCall = callFor(harness, 'accept', answered);
        expect((await adapter.act(answeredCall)).kind).toBe('applied');
        const read = await adapter.readOutcome(answeredCall);
        expect(read.kind).toBe('applied');
        if (read.kind === 'applied') {
          expect(read.result.request.id).toBe(answered.id);
          expect(read.result.refund).toEqual((await harness.appliedActions(answered.id))[0]?.refund ?? null);
        }

        const lost = await harness.freshRequest('dispute');
        const lostCall = callFor(harness, 'accept', lost);
        expect((await harness.withLostAnswers(() => adapter.act(lostCall))).kind).toBe('unknown');
        expect((await adapter.readOutcome(lostCall)).kind).toBe('applied');
        expect(await harness.appliedActions(lost.id)).toHaveLength(1);

        const dropped = await harness.freshRequest('cancel');
        const droppedCall = callFor(harness, 'refuse', dropped);
        expect(['unknown', 'not_sent']).toContain((await harness.withCallsFailingBeforeHandling(() => adapter.act(droppedCall))).kind);
        expect(await adapter.readOutcome(droppedCall)).toEqual({ kind: 'not_applied' });
        // Not applied: sending it again applies it, once.
        expect((await adapter.act(droppedCall)).kind).toBe('applied');
        expect((await harness.appliedActions(dropped.id)).map((entry) => entry.action)).toEqual(['refuse']);
        expect((await adapter.readOutcome(droppedCall)).kind).toBe('applied');
      }),
    );

    it(
      'an action with attachments reaches the marketplace with them (refused, never applied, where it takes no uploads)',
      withHarness(async (harness) => {
        const { adapter } = harness;
        const request = await harness.freshRequest('dispute');
        const attachments: Attachment[] = [
          { id: 'att-label', fileName: 'label.png', contentType: 'image/png', bytes: pngPhoto('label') },
          { id: 'att-box', fileName: 'box.jpg', contentType: 'image/jpeg', bytes: jpegPhoto() },
        ];
        const call = { ...callFor(harness, 'refuse', request), attachments };
        if (!adapter.capabilities.evidence.upload) {
          expect((await adapter.act(call)).kind).toBe('rejected');
          expect(await harness.appliedActions(request.id)).toEqual([]);
          return;
        }
        // Nothing reaches the handler: the decision is not applied (a photo may be stored or not).
        expect(['not_sent', 'unknown']).toContain((await harness.withCallsFailingBeforeHandling(() => adapter.act(call))).kind);
        expect(await harness.appliedActions(request.id)).toEqual([]);
        expect((await adapter.act(call)).kind).toBe('applied');
        expect((await harness.appliedActions(request.id)).map((entry) => entry.action)).toEqual(['refuse']);
        const sent = (await harness.uploadsOf(request.id)).filter((upload) => upload.sentWith !== null);
        expect(sent).toEqual([
          { contentType: 'image/png', bytes: attachments[0]?.bytes.length, sentWith: 'refuse' },
          { contentType: 'image/jpeg', bytes: attachments[1]?.bytes.length, sentWith: 'refuse' },
        ]);
        expect((await adapter.readOutcome(call)).kind).toBe('applied');
      }),
    );

    it(
      "lists the buyer's messages from a mark, sends the seller's once, and reads a message's outcome after a lost answer",
      withHarness(async (harness) => {
        const { adapter } = harness;
        const request = await harness.freshRequest('dispute');
        const allMessages = async (mark: string | null) => readFeed((params) => adapter.listMessages(params), mark, 5);
        if (!adapter.capabilities.messages) {
          const refused = await adapter.act({ id: 'contract-msg-0', requestId: request.id, orderId: request.orderId, action: 'message', body: harness.messageBody('Hello') });
          expect(refused.kind).toBe('rejected');
          return;
        }
        const before = await allMessages(null);
        const mark = before.items.map((message) => message.updatedAt).sort().at(-1) ?? null;
        await harness.buyerWrites(request.id, 'Where is my parcel?');
        const since = await allMessages(mark);
        const written = since.items.filter((message) => message.requestId === request.id && message.from === 'buyer' && message.text === 'Where is my parcel?');
        expect(written).toHaveLength(1);
        expect(written[0]?.orderId).toBe(request.orderId);

        const sent = { id: 'contract-msg-1', requestId: request.id, orderId: request.orderId, action: 'message' as const, body: harness.messageBody('It left our warehouse on Monday.') };
        expect((await adapter.act(sent)).kind).toBe('applied');
        expect((await adapter.readOutcome(sent)).kind).toBe('applied');

        const lost = { id: 'contract-msg-2', requestId: request.id, orderId: request.orderId, action: 'message' as const, body: harness.messageBody('Here is the tracking number: JD0001.') };
        expect((await harness.withLostAnswers(() => adapter.act(lost))).kind).toBe('unknown');
        expect((await adapter.readOutcome(lost)).kind).toBe('applied');
        const notSent = { id: 'contract-msg-3', requestId: request.id, orderId: request.orderId, action: 'message' as const, body: harness.messageBody('Never sent.') };
        expect(await adapter.readOutcome(notSent)).toEqual({ kind: 'not_applied' });

        const seller = (await allMessages(mark)).items.filter((message) => message.requestId === request.id && message.from === 'seller').map((message) => message.text);
        expect(seller.sort()).toEqual(['Here is the tracking number: JD0001.', 'It left our warehouse on Monday.']);
      }),
    );

    it(
      'fetches the current copy of a request, and answers null for one it does not have',
      withHarness(async (harness) => {
        const request = await harness.freshRequest('cancel');
        expect((await harness.adapter.fetchRequest(request.id, request.orderId))?.id).toBe(request.id);
        expect(await harness.adapter.fetchRequest('no-such-request-0', request.orderId)).toBeNull();
      }),
    );

    it(
      "fetches a buyer's evidence file as image bytes, and stops reading past the cap it is given",
      withHarness(async (harness) => {
        const id = await harness.evidenceId();
        const bytes = await harness.adapter.fetchEvidence(id, 10 * 1024 * 1024);
        expect(bytes.length).toBeGreaterThan(8);
        // PNG, JPEG or WebP magic.
        expect([0x89, 0xff, 0x52]).toContain(bytes[0]);
        const capped = harness.adapter.fetchEvidence(id, 8);
        await expect(capped).rejects.toBeInstanceOf(DeskError);
        await expect(capped).rejects.toMatchObject({ code: 'payload_too_large' });
      }),
    );
  });
}
