import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IopError } from '../../../../../../electron/backend/marketplace/aliexpress/iop';
import type { Logger } from '../../../../../../electron/backend/log';
import { memoryVault, type CredentialVault } from '../../../../../../electron/backend/stores/credentials';
import {
  pendingAliExpressCredentials,
  readAliExpressCredentials,
  writeAliExpressCredentials,
  type AliExpressCredentials,
} from '../../../../../../electron/backend/stores/aliexpress/credentials';
import { AliExpressSignIn, DEFAULT_SIGN_IN_TIMEOUT_MS, NOT_THE_ONE, type AliExpressSignInOptions } from '../../../../../../electron/backend/stores/aliexpress/sign-in';
import type { AliExpressApp, TokenCall } from '../../../../../../electron/backend/stores/aliexpress/token-call';
import { createManualClock, type ManualClock } from '../../../../../../electron/simulator/clock';
import type { Clock } from '../../../../../../shared/domain/time';

const T0 = Date.parse('2026-11-26T09:00:00.000Z');
const DAY = 24 * 60 * 60_000;
const APP = { appKey: '513774', appSecret: 'app-secret-0123456789' };
const STORE = { id: 'lantern-home', name: 'Lantern Home', gatewayUrl: 'https://api-sg.aliexpress.com', appKey: APP.appKey };
const CODE = '3_513774_b38kGp17gUB9Kq1mFDYfL60v3668';

function tokenAnswer(now: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: '50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg',
    refresh_token: '50001600c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBh',
    expire_time: now + 30 * DAY,
    refresh_token_valid_time: now + 60 * DAY,
    seller_id: '2671514005',
    account: 'lantern-home',
    user_nick: 'kr1000005815atrae',
    code: '0',
    ...overrides,
  };
}

interface Harness {
  signIn: AliExpressSignIn;
  clock: ManualClock;
  vault: CredentialVault;
  apps: AliExpressApp[];
  calls: Array<{ path: string; params: Record<string, string> }>;
  signedIn: string[];
  logLines: string[];
}

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.signIn.close()));
});

function harness(
  options: {
    answer?: TokenCall;
    kept?: AliExpressCredentials | null;
    clock?: Clock;
    onSignedIn?: AliExpressSignInOptions['onSignedIn'];
    listenHost?: string;
  } = {},
): Harness {
  const clock = createManualClock(T0);
  const vault = memoryVault(options.kept === null ? {} : { [STORE.id]: writeAliExpressCredentials(options.kept ?? pendingAliExpressCredentials(APP)) });
  const apps: AliExpressApp[] = [];
  const calls: Harness['calls'] = [];
  const signedIn: string[] = [];
  const logLines: string[] = [];
  const log: Logger = { info: (line) => logLines.push(line), warn: (line) => logLines.push(line), error: (line) => logLines.push(line) };
  const signIn = new AliExpressSignIn({
    clock: options.clock ?? clock,
    vault,
    log,
    ...(options.listenHost === undefined ? {} : { listenHost: options.listenHost }),
    tokenCall: (app) => {
      apps.push(app);
      return (path, params) => {
        calls.push({ path, params });
        return options.answer === undefined ? Promise.resolve(tokenAnswer(clock.now())) : options.answer(path, params);
      };
    },
    onSignedIn: options.onSignedIn ?? ((storeId) => void signedIn.push(storeId)),
  });
  const made = { signIn, clock, vault, apps, calls, signedIn, logLines };
  harnesses.push(made);
  return made;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A browser's GET (node:http, so a test can send another Host). */
function get(url: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const call = request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: options.host === undefined ? {} : { host: options.host } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    call.on('error', reject);
    call.end();
  });
}

function callbackUrl(redirectUri: string, params: Record<string, string>): string {
  return `${redirectUri}?${new URLSearchParams(params).toString()}`;
}

function stateOf(authorizeUrl: string): string {
  return new URL(authorizeUrl).searchParams.get('state') ?? '';
}

const keptOf = (vault: CredentialVault): AliExpressCredentials | null => readAliExpressCredentials(vault.get(STORE.id));

describe('Sign in with AliExpress: the authorize page', () => {
  it('sends the browser to the gateway origin with a fresh state and the loopback callback (§3.1)', async () => {
    const { signIn } = harness();
    const start = await signIn.begin(STORE);
    expect(start.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d{2,5}\/aliexpress\/callback$/);
    const state = stateOf(start.authorizeUrl);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.authorizeUrl).toBe(
      `https://api-sg.aliexpress.com/oauth/authorize?response_type=code&force_auth=true&redirect_uri=${encodeURIComponent(start.redirectUri)}&client_id=513774&state=${state}`,
    );
    const again = await signIn.begin(STORE);
    expect(stateOf(again.authorizeUrl)).not.toBe(state);
    // One server for every sign-in.
    expect(again.redirectUri).toBe(start.redirectUri);
  });

  it("uses a sandbox gateway's own origin", async () => {
    const { signIn } = harness();
    const start = await signIn.begin({ ...STORE, gatewayUrl: 'http://127.0.0.1:4321/gateway/' });
    expect(start.authorizeUrl.startsWith('http://127.0.0.1:4321/oauth/authorize?response_type=code&')).toBe(true);
  });

  it('says why when it cannot listen, and keeps nothing waiting', async () => {
    const { signIn } = harness({ listenHost: '203.0.113.7' });
    await expect(signIn.begin(STORE)).rejects.toMatchObject({ code: 'sign_in_unavailable' });
    await expect(signIn.begin(STORE)).rejects.toThrow(/^Cancel Desk could not wait for AliExpress on 203\.0\.113\.7 \(.+\); paste the code instead, or try again\.$/);
    expect(signIn.isWaiting(STORE.id)).toBe(false);
  });
});

describe('Sign in with AliExpress: the loopback callback', () => {
  it('exchanges the code, keeps the tokens with the app, answers a small page and says so', async () => {
    const { signIn, vault, apps, calls, signedIn } = harness();
    const start = await signIn.begin(STORE);
    const answer = await get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Signed in to AliExpress as lantern-home. You can close this tab and go back to Cancel Desk.');
    expect(answer.body).not.toMatch(/<script|<style|<link|<img|src=|href=/i);
    expect(answer.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(apps).toEqual([{ gatewayUrl: STORE.gatewayUrl, ...APP }]);
    expect(calls).toEqual([{ path: '/auth/token/create', params: { code: CODE } }]);
    expect(keptOf(vault)).toEqual({
      v: 1,
      ...APP,
      accessToken: '50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg',
      refreshToken: '50001600c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBh',
      accessExpiresAt: T0 + 30 * DAY,
      refreshExpiresAt: T0 + 60 * DAY,
      sellerId: '2671514005',
      account: 'lantern-home',
    });
    expect(signedIn).toEqual([STORE.id]);
    expect(signIn.isWaiting(STORE.id)).toBe(false);
    // Done: the state is spent and the server stopped listening.
    await expect(get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('escapes what AliExpress calls the account, and says "signed in" without one', async () => {
    const hostile = harness({ answer: () => Promise.resolve(tokenAnswer(T0, { account: '<img src=x onerror=alert(1)>' })) });
    const start = await hostile.signIn.begin(STORE);
    const answer = await get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }));
    expect(answer.body).toContain('as &lt;img src=x onerror=alert(1)&gt;.');
    expect(answer.body).not.toContain('<img');

    const anonymous = harness({ answer: () => Promise.resolve(tokenAnswer(T0, { account: undefined, user_nick: undefined })) });
    const next = await anonymous.signIn.begin(STORE);
    expect((await get(callbackUrl(next.redirectUri, { code: CODE, state: stateOf(next.authorizeUrl) }))).body).toContain('Signed in to AliExpress. You can close this tab');
  });

  it.each([
    ['another state', (state: string) => ({ code: CODE, state: `${state.slice(0, -1)}x` })],
    ['no state', () => ({ code: CODE })],
    ['an empty state', () => ({ code: CODE, state: '' })],
  ])('refuses %s with a 400 page, keeps nothing, and still waits for the right one', async (_label, params) => {
    const { signIn, vault, calls, signedIn } = harness();
    const start = await signIn.begin(STORE);
    const answer = await get(callbackUrl(start.redirectUri, params(stateOf(start.authorizeUrl))));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(NOT_THE_ONE.replace("'", '&#39;'));
    expect(calls).toEqual([]);
    expect(keptOf(vault)).toEqual(pendingAliExpressCredentials(APP));
    expect(signedIn).toEqual([]);
    expect(signIn.isWaiting(STORE.id)).toBe(true);
  });

  it('refuses a page reached under another host name (DNS rebinding)', async () => {
    const { signIn, calls } = harness();
    const start = await signIn.begin(STORE);
    const port = new URL(start.redirectUri).port;
    const answer = await get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }), { host: `evil.example:${port}` });
    expect(answer.status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('answers 404 elsewhere and 405 to anything but GET, exchanging nothing', async () => {
    const { signIn, calls } = harness();
    const start = await signIn.begin(STORE);
    const state = stateOf(start.authorizeUrl);
    expect((await get(callbackUrl(start.redirectUri.replace('/aliexpress/callback', '/other'), { code: CODE, state }))).status).toBe(404);
    expect((await get(callbackUrl(start.redirectUri, { code: CODE, state }), { method: 'POST' })).status).toBe(405);
    expect((await get(callbackUrl(start.redirectUri, { code: CODE, state }), { method: 'HEAD' })).status).toBe(405);
    expect(calls).toEqual([]);
  });

  it('says when AliExpress sent no code', async () => {
    const { signIn, calls } = harness();
    const start = await signIn.begin(STORE);
    const answer = await get(callbackUrl(start.redirectUri, { state: stateOf(start.authorizeUrl), code: 'has spaces in it' }));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('without a sign-in code');
    expect(calls).toEqual([]);
  });

  it('shows what AliExpress answered when the seller did not sign in, and stops waiting', async () => {
    const { signIn, calls, vault } = harness();
    const start = await signIn.begin(STORE);
    const answer = await get(callbackUrl(start.redirectUri, { state: stateOf(start.authorizeUrl), error: 'access_denied', error_description: 'The seller refused' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('AliExpress did not sign you in (The seller refused). Start the sign-in again from Settings in Cancel Desk.');
    expect(calls).toEqual([]);
    expect(keptOf(vault)?.accessToken).toBeNull();
    expect(signIn.isWaiting(STORE.id)).toBe(false);
  });

  it('a failed exchange: a page that says why, never the code or the secret in the page or the log; a reload tries again', async () => {
    let fail = true;
    const { signIn, vault, logLines, calls } = harness({
      answer: () =>
        fail
          ? Promise.reject(new IopError({ kind: 'rejected', message: `AliExpress refused /auth/token/create: code ${CODE} is invalid for app-secret-0123456789 (InvalidCode).` }))
          : Promise.resolve(tokenAnswer(T0)),
    });
    const start = await signIn.begin(STORE);
    const url = callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) });
    const answer = await get(url);
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('The sign-in to AliExpress did not complete: AliExpress refused /auth/token/create: code [redacted] is invalid for [redacted] (InvalidCode).');
    for (const text of [answer.body, ...logLines]) {
      expect(text).not.toContain(CODE);
      expect(text).not.toContain(APP.appSecret);
    }
    expect(logLines.some((line) => line.includes('did not complete'))).toBe(true);
    expect(keptOf(vault)?.accessToken).toBeNull();
    fail = false;
    expect((await get(url)).status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(keptOf(vault)?.accessToken).not.toBeNull();
  });

  it('a code pasted while the page is exchanging it waits for the same exchange (a code is spent once)', async () => {
    const gate: { answer: ((body: Record<string, unknown>) => void) | null } = { answer: null };
    const { signIn, calls } = harness({ answer: () => new Promise((resolve) => (gate.answer = resolve)) });
    const start = await signIn.begin(STORE);
    const url = callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) });
    const page = get(url);
    await vi.waitFor(() => expect(gate.answer).not.toBeNull());
    const pasted = signIn.complete(STORE.id, url);
    gate.answer?.(tokenAnswer(T0));
    expect((await page).status).toBe(200);
    expect(await pasted).toEqual({ account: 'lantern-home' });
    expect(calls).toHaveLength(1);
  });

  it('keeps the tokens even when onSignedIn fails (and logs it)', async () => {
    const { signIn, vault, logLines } = harness({ onSignedIn: () => Promise.reject(new Error('registry busy')) });
    const start = await signIn.begin(STORE);
    expect((await get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }))).status).toBe(200);
    expect(keptOf(vault)?.accessToken).not.toBeNull();
    expect(logLines.some((line) => line.includes('registry busy'))).toBe(true);
  });

  it("refuses another seller's account for a store that had one, keeping its credentials", async () => {
    const before: AliExpressCredentials = { ...pendingAliExpressCredentials(APP), accessToken: 'old', refreshToken: 'old-refresh', sellerId: '1111', account: 'first-seller' };
    const { signIn, vault } = harness({ kept: before });
    const start = await signIn.begin(STORE);
    await expect(signIn.complete(STORE.id, CODE)).rejects.toMatchObject({
      code: 'other_seller',
      message: "You signed in to AliExpress as lantern-home, but Lantern Home is another seller's store; sign in with that store's account, or add a store for this one.",
    });
    expect(keptOf(vault)).toEqual(before);
    expect(start.redirectUri).toContain('127.0.0.1');
  });

  it('signs the same seller in again over expired tokens', async () => {
    const before: AliExpressCredentials = { ...pendingAliExpressCredentials(APP), accessToken: 'old', refreshToken: 'old-refresh', sellerId: '2671514005', account: 'lantern-home' };
    const { signIn, vault } = harness({ kept: before });
    await signIn.begin(STORE);
    await signIn.complete(STORE.id, CODE);
    expect(keptOf(vault)?.refreshToken).toBe('50001600c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBh');
  });

  it('says so when the app key and secret are no longer kept', async () => {
    const { signIn, calls } = harness({ kept: null });
    await signIn.begin(STORE);
    await expect(signIn.complete(STORE.id, CODE)).rejects.toMatchObject({ code: 'credentials_missing' });
    expect(calls).toEqual([]);
  });
});

describe('Sign in with AliExpress: the pasted code', () => {
  it.each([
    ['the bare code', () => CODE],
    ['the bare code with spaces around it', () => `  ${CODE}\n`],
    ['the whole address, with its state', (redirectUri: string, state: string) => callbackUrl(redirectUri, { code: CODE, state })],
    ['the address of a registered https callback, with its state', (_uri: string, state: string) => `https://seller.example/callback?code=${CODE}&state=${state}`],
    ['only the query', (_uri: string, state: string) => `?code=${CODE}&state=${state}`],
  ])('takes %s', async (_label, paste) => {
    const { signIn, vault, calls, signedIn } = harness();
    const start = await signIn.begin(STORE);
    expect(await signIn.complete(STORE.id, paste(start.redirectUri, stateOf(start.authorizeUrl)))).toEqual({ account: 'lantern-home' });
    expect(calls).toEqual([{ path: '/auth/token/create', params: { code: CODE } }]);
    expect(keptOf(vault)?.accessToken).toBe('50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg');
    expect(signedIn).toEqual([STORE.id]);
    expect(signIn.isWaiting(STORE.id)).toBe(false);
  });

  it('refuses an address with another state, keeping nothing', async () => {
    const { signIn, vault, calls } = harness();
    const start = await signIn.begin(STORE);
    await expect(signIn.complete(STORE.id, callbackUrl(start.redirectUri, { code: CODE, state: 'another-state' }))).rejects.toMatchObject({ code: 'invalid_input', message: NOT_THE_ONE });
    expect(calls).toEqual([]);
    expect(keptOf(vault)?.accessToken).toBeNull();
  });

  it.each([
    ['text with spaces', 'not a code at all'],
    ['an address without a code', 'http://127.0.0.1:1/aliexpress/callback?state=x'],
    ['a broken address', 'https://['],
  ])('refuses %s with what to paste', async (_label, pasted) => {
    const { signIn, calls } = harness();
    await signIn.begin(STORE);
    await expect(signIn.complete(STORE.id, pasted)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(calls).toEqual([]);
  });

  it("says AliExpress's refusal when the pasted address carries one", async () => {
    const { signIn } = harness();
    const start = await signIn.begin(STORE);
    await expect(signIn.complete(STORE.id, callbackUrl(start.redirectUri, { error: 'access_denied', state: stateOf(start.authorizeUrl) }))).rejects.toMatchObject({
      code: 'sign_in_refused',
      message: 'AliExpress did not sign you in (access_denied); start the sign-in again from Settings.',
    });
    expect(signIn.isWaiting(STORE.id)).toBe(false);
  });

  it('refuses a code when no sign-in of the store waits', async () => {
    const { signIn, calls } = harness();
    await expect(signIn.complete(STORE.id, CODE)).rejects.toMatchObject({ code: 'sign_in_not_started' });
    expect(calls).toEqual([]);
  });
});

describe('Sign in with AliExpress: waiting ends', () => {
  it('after timeoutMs on the injected clock: the callback and the paste are refused, and the server stops', async () => {
    const { signIn, clock, calls } = harness();
    const start = await signIn.begin(STORE);
    clock.advance(DEFAULT_SIGN_IN_TIMEOUT_MS - 1);
    expect(signIn.isWaiting(STORE.id)).toBe(true);
    clock.advance(1);
    expect(signIn.isWaiting(STORE.id)).toBe(false);
    await expect(signIn.complete(STORE.id, CODE)).rejects.toMatchObject({ code: 'sign_in_not_started' });
    await expect(get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toEqual([]);
  });

  it('after timeoutMs even when the timer has not run yet (a clock that jumped)', async () => {
    let now = T0;
    const jumpy: Clock = { now: () => now, setTimer: () => () => undefined };
    const { signIn, calls } = harness({ clock: jumpy });
    const start = await signIn.begin(STORE);
    const other = await signIn.begin({ ...STORE, id: 'harbor' });
    now += DEFAULT_SIGN_IN_TIMEOUT_MS;
    const answer = await get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }));
    expect(answer.status).toBe(400);
    expect(signIn.isWaiting('harbor')).toBe(false);
    expect(other.redirectUri).toBe(start.redirectUri);
    expect(calls).toEqual([]);
  });

  it('a new sign-in of the same store replaces the one waiting', async () => {
    const { signIn } = harness();
    const first = await signIn.begin(STORE);
    const second = await signIn.begin(STORE);
    expect((await get(callbackUrl(first.redirectUri, { code: CODE, state: stateOf(first.authorizeUrl) }))).status).toBe(400);
    expect((await get(callbackUrl(second.redirectUri, { code: CODE, state: stateOf(second.authorizeUrl) }))).status).toBe(200);
  });

  it('cancel forgets one store, and the server waits on for the others', async () => {
    const { signIn } = harness();
    const lantern = await signIn.begin(STORE);
    const harbor = await signIn.begin({ ...STORE, id: 'harbor', name: 'Harbor Goods' });
    signIn.cancel(STORE.id);
    expect((await get(callbackUrl(lantern.redirectUri, { code: CODE, state: stateOf(lantern.authorizeUrl) }))).status).toBe(400);
    expect(signIn.isWaiting('harbor')).toBe(true);
    signIn.cancel('harbor');
    await vi.waitFor(() => expect(get(callbackUrl(harbor.redirectUri, { code: CODE, state: stateOf(harbor.authorizeUrl) }))).rejects.toMatchObject({ code: 'ECONNREFUSED' }));
  });

  it('close stops the server and refuses new sign-ins', async () => {
    const { signIn } = harness();
    const start = await signIn.begin(STORE);
    await signIn.close();
    await expect(get(callbackUrl(start.redirectUri, { code: CODE, state: stateOf(start.authorizeUrl) }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(signIn.isWaiting(STORE.id)).toBe(false);
    await expect(signIn.begin(STORE)).rejects.toMatchObject({ code: 'not_ready' });
    // Closing twice is harmless.
    await signIn.close();
  });
});
