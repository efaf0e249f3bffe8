import { describe, expect, it, vi } from 'vitest';
import { IopError } from '../../../../../../electron/backend/marketplace/aliexpress/iop';
import { memoryVault, type CredentialVault } from '../../../../../../electron/backend/stores/credentials';
import { readAliExpressCredentials, writeAliExpressCredentials, type AliExpressCredentials } from '../../../../../../electron/backend/stores/aliexpress/credentials';
import type { TokenCall } from '../../../../../../electron/backend/stores/aliexpress/token-call';
import { AliExpressTokens, readTokenAnswer, RENEW_BEFORE_MS } from '../../../../../../electron/backend/stores/aliexpress/tokens';
import { createManualClock, type ManualClock } from '../../../../../../electron/simulator/clock';
import { DeskError } from '../../../../../../shared/errors';

const T0 = Date.parse('2026-11-26T09:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const STORE = 'lantern-home';
const SIGN_IN_AGAIN = 'AliExpress asks you to sign in again for Lantern Home: the sign-in has expired.';

const KEPT: AliExpressCredentials = {
  v: 1,
  appKey: '513774',
  appSecret: 'app-secret-0123456789',
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  accessExpiresAt: T0 + 60 * MINUTE,
  refreshExpiresAt: T0 + 30 * DAY,
  sellerId: '2671514005',
  account: 'lantern-home',
};

/** The §3.2 sample's shape, with this test's tokens and times. */
function tokenAnswer(now: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    refresh_token_valid_time: now + 60 * DAY,
    havana_id: '3000020000814',
    expire_time: now + 30 * DAY,
    locale: 'zh_CN',
    user_nick: 'kr1000005815atrae',
    access_token: 'access-2',
    refresh_token: 'refresh-2',
    user_id: 'YourUserID',
    account_platform: 'buyerApp',
    refresh_expires_in: 5_183_988,
    expires_in: 2_592_000,
    sp: 'ae',
    seller_id: '2671514005',
    account: 'lantern-home',
    code: '0',
    request_id: '212a69f317116001605067741',
    ...overrides,
  };
}

interface Setup {
  clock: ManualClock;
  vault: CredentialVault;
  tokens: AliExpressTokens;
  calls: Array<{ path: string; params: Record<string, string> }>;
}

function setup(kept: AliExpressCredentials | null = KEPT, answer?: (params: Record<string, string>) => Promise<Readonly<Record<string, unknown>>>): Setup {
  const clock = createManualClock(T0);
  const vault = memoryVault(kept === null ? {} : { [STORE]: writeAliExpressCredentials(kept) });
  const calls: Setup['calls'] = [];
  const tokenCall: TokenCall = (path, params) => {
    calls.push({ path, params });
    return answer === undefined ? Promise.resolve(tokenAnswer(clock.now())) : answer(params);
  };
  const tokens = new AliExpressTokens({ storeId: STORE, storeName: () => 'Lantern Home', vault, clock, tokenCall });
  return { clock, vault, tokens, calls };
}

function kept(vault: CredentialVault): AliExpressCredentials | null {
  return readAliExpressCredentials(vault.get(STORE));
}

async function failure(promise: Promise<unknown>): Promise<IopError> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof IopError)) throw new Error(`expected an IopError, got ${String(error)}`);
  return error;
}

describe('AliExpressTokens: the access token, renewed before it ends', () => {
  it('answers the kept token while it has more than 10 minutes left, without calling AliExpress', async () => {
    const { tokens, calls, clock } = setup();
    expect(await tokens.accessToken()).toBe('access-1');
    clock.advance(60 * MINUTE - RENEW_BEFORE_MS - 1);
    expect(await tokens.accessToken()).toBe('access-1');
    expect(calls).toEqual([]);
  });

  it('renews first when it ends within 10 minutes, keeps the new tokens, and answers the new one', async () => {
    const { tokens, calls, clock, vault } = setup();
    clock.advance(60 * MINUTE - RENEW_BEFORE_MS);
    const renewedAt = clock.now();
    expect(await tokens.accessToken()).toBe('access-2');
    expect(calls).toEqual([{ path: '/auth/token/refresh', params: { refresh_token: 'refresh-1' } }]);
    expect(kept(vault)).toEqual({
      ...KEPT,
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      accessExpiresAt: renewedAt + 30 * DAY,
      refreshExpiresAt: renewedAt + 60 * DAY,
    });
    // The renewed one lasts: no second renewal.
    expect(await tokens.accessToken()).toBe('access-2');
    expect(calls).toHaveLength(1);
  });

  it('keeps the new tokens before answering them', async () => {
    const clock = createManualClock(T0);
    const inner = memoryVault({ [STORE]: writeAliExpressCredentials({ ...KEPT, accessExpiresAt: T0 }) });
    const gate: { release: (() => void) | null } = { release: null };
    const vault: CredentialVault = {
      ...inner,
      get: (id) => inner.get(id),
      set: async (id, token) => {
        await new Promise<void>((resolve) => (gate.release = resolve));
        return inner.set(id, token);
      },
    };
    const tokens = new AliExpressTokens({ storeId: STORE, vault, clock, tokenCall: () => Promise.resolve(tokenAnswer(T0)) });
    let answered: string | null = null;
    const answer = tokens.accessToken().then((token) => (answered = token));
    await vi.waitFor(() => expect(gate.release).not.toBeNull());
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBeNull();
    gate.release?.();
    await answer;
    expect(answered).toBe('access-2');
    expect(readAliExpressCredentials(inner.get(STORE))?.accessToken).toBe('access-2');
  });

  it('renews when only a refresh token is kept', async () => {
    const { tokens, calls } = setup({ ...KEPT, accessToken: null, accessExpiresAt: null });
    expect(await tokens.accessToken()).toBe('access-2');
    expect(calls).toHaveLength(1);
  });

  it('never renews a token whose end it was not told', async () => {
    const { tokens, calls, clock } = setup({ ...KEPT, accessExpiresAt: null });
    clock.advance(365 * DAY);
    expect(await tokens.accessToken()).toBe('access-1');
    expect(calls).toEqual([]);
  });

  it('shares one renewal between callers at once (a refresh token may be single-use)', async () => {
    const gate: { answer: ((body: Record<string, unknown>) => void) | null } = { answer: null };
    const { tokens, calls, clock } = setup({ ...KEPT, accessExpiresAt: T0 + MINUTE }, () =>
      calls.length === 1 ? new Promise((resolve) => (gate.answer = resolve)) : Promise.resolve(tokenAnswer(clock.now())),
    );
    const callers = [tokens.accessToken(), tokens.accessToken(), tokens.refresh(), tokens.refresh()];
    await vi.waitFor(() => expect(gate.answer).not.toBeNull());
    gate.answer?.(tokenAnswer(clock.now()));
    expect(await Promise.all(callers)).toEqual(['access-2', 'access-2', 'access-2', 'access-2']);
    expect(calls).toHaveLength(1);
    // Once it is over, a later refresh is a new one.
    await tokens.refresh();
    expect(calls).toHaveLength(2);
  });

  it('reads numbers sent as digit strings, and seconds from now when no epoch is given', async () => {
    const { tokens, clock, vault } = setup({ ...KEPT, accessExpiresAt: T0 }, () =>
      Promise.resolve(tokenAnswer(clock.now(), { expire_time: undefined, refresh_token_valid_time: undefined, expires_in: '86400', refresh_expires_in: 172_800, seller_id: 2_671_514_005 })),
    );
    await tokens.refresh();
    expect(kept(vault)).toMatchObject({ accessExpiresAt: T0 + DAY, refreshExpiresAt: T0 + 2 * DAY, sellerId: '2671514005' });
  });

  it('keeps the refresh token it had when the renewal does not send a new one', async () => {
    const { tokens, vault, clock } = setup(KEPT, () => Promise.resolve(tokenAnswer(clock.now(), { refresh_token: undefined, account: undefined, user_nick: undefined, seller_id: null })));
    await tokens.refresh();
    expect(kept(vault)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-1', refreshExpiresAt: KEPT.refreshExpiresAt, account: 'lantern-home', sellerId: '2671514005' });
  });
});

describe('AliExpressTokens: when the seller must sign in again', () => {
  it.each([
    ['refused as a bad token', new IopError({ kind: 'token', message: 'AliExpress refused the access token (IllegalRefreshToken).' })],
    ['refused as a bad request', new IopError({ kind: 'rejected', message: 'AliExpress refused /auth/token/refresh (InvalidParameter).' })],
    ['refused as rejected credentials', new DeskError('credentials_rejected', 'refused')],
  ])('a renewal AliExpress refuses (%s) says to sign in again, naming the store, and keeps nothing', async (_label, refusal) => {
    const { tokens, vault } = setup(KEPT, () => Promise.reject(refusal));
    const error = await failure(tokens.refresh());
    expect(error).toBeInstanceOf(DeskError);
    expect(error.code).toBe('credentials_rejected');
    expect(error.kind).toBe('token');
    expect(error.message).toBe(SIGN_IN_AGAIN);
    expect(kept(vault)).toEqual(KEPT);
  });

  it('a renewal answered with a failure code says to sign in again', async () => {
    const { tokens } = setup(KEPT, () => Promise.resolve({ code: 'IllegalRefreshToken', message: 'The refresh token is invalid or expired' }));
    expect((await failure(tokens.refresh())).code).toBe('credentials_rejected');
  });

  it('a refused renewal before a call fails the call with the same sentence', async () => {
    const { tokens, clock } = setup(KEPT, () => Promise.reject(new IopError({ kind: 'rejected', message: 'no' })));
    clock.advance(55 * MINUTE);
    const error = await failure(tokens.accessToken());
    expect(error.message).toBe(SIGN_IN_AGAIN);
  });

  it('an expired refresh token: no call; the access token is used while it lasts, then sign in again', async () => {
    const { tokens, calls, clock } = setup({ ...KEPT, refreshExpiresAt: T0 + 55 * MINUTE });
    clock.advance(55 * MINUTE);
    expect(await tokens.accessToken()).toBe('access-1');
    expect((await failure(tokens.refresh())).code).toBe('credentials_rejected');
    clock.advance(5 * MINUTE);
    const error = await failure(tokens.accessToken());
    expect(error.code).toBe('credentials_rejected');
    expect(error.message).toBe(SIGN_IN_AGAIN);
    expect(calls).toEqual([]);
  });

  it('no refresh token at all: sign in again without a call once the access token is over', async () => {
    const { tokens, calls, clock } = setup({ ...KEPT, refreshToken: null, refreshExpiresAt: null });
    clock.advance(60 * MINUTE);
    expect((await failure(tokens.accessToken())).code).toBe('credentials_rejected');
    expect(calls).toEqual([]);
  });

  it('nothing kept (or unreadable): sign in again, naming the store by its id when no name is given', async () => {
    const clock = createManualClock(T0);
    const tokens = new AliExpressTokens({ storeId: STORE, vault: memoryVault({ [STORE]: 'not json' }), clock, tokenCall: () => Promise.reject(new Error('must not be called')) });
    const error = await failure(tokens.accessToken());
    expect(error.message).toBe('AliExpress asks you to sign in again for lantern-home: the sign-in has expired.');
    expect((await failure(setup(null).tokens.refresh())).code).toBe('credentials_rejected');
  });
});

describe('AliExpressTokens: a renewal that does not get through', () => {
  const unreachable = new IopError({ kind: 'unreachable', message: 'Nobody answered at https://api-sg.aliexpress.com (ECONNREFUSED); /auth/token/refresh was not sent.' });
  const unclear = new IopError({ kind: 'unclear', message: 'AliExpress did not answer /auth/token/refresh (timeout); it may have applied it.' });

  it('uses the token it has while it still works, and renews at the next call', async () => {
    let fail = true;
    const { tokens, calls, clock } = setup(KEPT, () => (fail ? Promise.reject(unreachable) : Promise.resolve(tokenAnswer(clock.now()))));
    clock.advance(55 * MINUTE);
    expect(await tokens.accessToken()).toBe('access-1');
    fail = false;
    expect(await tokens.accessToken()).toBe('access-2');
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['unreachable', unreachable],
    ['unclear', unclear],
  ])('with the token over (%s): the call fails as not sent', async (_label, cause) => {
    const { tokens, clock } = setup(KEPT, () => Promise.reject(cause));
    clock.advance(60 * MINUTE);
    const error = await failure(tokens.accessToken());
    expect(error.kind).toBe(cause.kind === 'unclear' ? 'unreachable' : cause.kind);
    if (cause.kind === 'unclear') expect(error.message).toMatch(/^Cancel Desk could not renew the AliExpress sign-in of Lantern Home \(.*\); nothing was sent\.$/);
  });

  it('an answer it cannot read before a call: not sent', async () => {
    const { tokens, clock } = setup(KEPT, () => Promise.resolve({ code: '0', request_id: 'x' }));
    clock.advance(60 * MINUTE);
    const error = await failure(tokens.accessToken());
    expect(error.kind).toBe('unreachable');
    expect(error.code).toBe('invalid_payload');
  });

  it('refresh() itself tells the failure as it is (the IOP client decides what it means for its call)', async () => {
    expect(await failure(setup(KEPT, () => Promise.reject(unreachable)).tokens.refresh())).toBe(unreachable);
    const unreadable = await failure(setup(KEPT, () => Promise.resolve({ code: '0' })).tokens.refresh());
    expect(unreadable.kind).toBe('unclear');
    expect(unreadable.code).toBe('invalid_payload');
    expect(unreadable.message).toBe('AliExpress answered the renewal of the sign-in without an access token, so Cancel Desk cannot act for the store.');
  });

  it('a bug (not a DeskError) is not dressed up as a network failure', async () => {
    const bug = new TypeError('boom');
    const { tokens, clock } = setup(KEPT, () => Promise.reject(bug));
    clock.advance(60 * MINUTE);
    await expect(tokens.accessToken()).rejects.toBe(bug);
  });

  it('a sign-in that lands during the renewal wins over it', async () => {
    const gate: { answer: (body: Record<string, unknown>) => void } = { answer: () => undefined };
    const { tokens, vault, calls, clock } = setup(KEPT, () => new Promise((resolve) => (gate.answer = resolve)));
    const renewal = tokens.refresh();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const signedIn = { ...KEPT, accessToken: 'access-new-sign-in', refreshToken: 'refresh-new-sign-in' };
    await vault.set(STORE, writeAliExpressCredentials(signedIn));
    gate.answer(tokenAnswer(clock.now()));
    expect(await renewal).toBe('access-new-sign-in');
    expect(kept(vault)).toEqual(signedIn);
  });
});

describe('readTokenAnswer (protocol §3.2)', () => {
  it('reads the documented sample', () => {
    expect(readTokenAnswer(tokenAnswer(T0), T0, 'the sign-in')).toEqual({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      accessExpiresAt: T0 + 30 * DAY,
      refreshExpiresAt: T0 + 60 * DAY,
      sellerId: '2671514005',
      account: 'lantern-home',
    });
  });

  it('falls back to the nick for the account, and leaves ends it was not told unknown', () => {
    const grant = readTokenAnswer({ access_token: 'a', user_nick: 'kr1000005815atrae', code: 0 }, T0, 'the sign-in');
    expect(grant).toEqual({ accessToken: 'a', refreshToken: null, accessExpiresAt: null, refreshExpiresAt: null, sellerId: null, account: 'kr1000005815atrae' });
  });

  it.each([
    ['no access token', { code: '0' }, 'invalid_payload', 'AliExpress answered the sign-in without an access token, so Cancel Desk cannot act for the store.'],
    ['an empty access token', { access_token: '  ' }, 'invalid_payload', 'without an access token'],
    ['not an object', ['access_token'], 'invalid_payload', 'not a token answer'],
    ['a failure code', { code: 'InvalidCode', message: 'The code is invalid', access_token: 'a' }, 'marketplace_error', 'AliExpress refused the sign-in (InvalidCode: The code is invalid).'],
  ])('refuses %s with a sentence', (_label, body, code, sentence) => {
    let error: unknown = null;
    try {
      readTokenAnswer(body, T0, 'the sign-in');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe(code);
    expect((error as DeskError).message).toContain(sentence);
  });

  it('names the fields it cannot read, never their values (they may be tokens)', () => {
    let error: unknown;
    try {
      readTokenAnswer({ access_token: 'secret value with spaces', expire_time: 'soon' }, T0, 'the sign-in');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'invalid_payload', message: 'AliExpress answered the sign-in with fields Cancel Desk cannot read (access_token, expire_time).' });
    expect(String((error as Error).message)).not.toContain('secret value');
  });
});
