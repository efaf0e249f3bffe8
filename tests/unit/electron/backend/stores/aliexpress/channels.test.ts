import { describe, expect, it } from 'vitest';
import { memoryVault } from '../../../../../../electron/backend/stores/credentials';
import { aliExpressStoreHandlers, refuseBareToken, type AliExpressStoreChannelsDeps, type StoreFacts } from '../../../../../../electron/backend/stores/aliexpress/channels';
import { pendingAliExpressCredentials, readAliExpressCredentials, writeAliExpressCredentials } from '../../../../../../electron/backend/stores/aliexpress/credentials';
import { DEMO_CAPABILITIES } from '../../../../../../shared/domain/marketplace';
import { CHANNELS, type StoreView } from '../../../../../../shared/ipc/contract';

const APP = { appKey: '513774', appSecret: 'app-secret-0123456789' };

function view(overrides: Partial<StoreView> = {}): StoreView {
  return {
    id: 'lantern-home',
    name: 'Lantern Home',
    kind: 'aliexpress',
    endpoint: 'https://api-sg.aliexpress.com',
    embedded: false,
    paused: false,
    credentials: 'missing',
    health: { state: 'error', since: null, message: 'Enter the credentials of Lantern Home in Settings.', lastSyncAt: null },
    capabilities: DEMO_CAPABILITIES,
    policy: null,
    messageTemplates: null,
    ...overrides,
  };
}

function setup(stores: StoreFacts[] = [{ id: 'lantern-home', name: 'Lantern Home', kind: 'aliexpress', url: 'https://api-sg.aliexpress.com' }]) {
  const vault = memoryVault({ 'lantern-home': writeAliExpressCredentials(pendingAliExpressCredentials(APP)), main: 'demo-token' });
  const added: unknown[] = [];
  const begun: unknown[] = [];
  const completed: unknown[] = [];
  const deps: AliExpressStoreChannelsDeps = {
    vault,
    signIn: {
      begin: (store) => {
        begun.push(store);
        return Promise.resolve({ authorizeUrl: 'https://api-sg.aliexpress.com/oauth/authorize?state=s', redirectUri: 'http://127.0.0.1:1/aliexpress/callback' });
      },
      complete: (storeId, pasted) => {
        completed.push({ storeId, pasted });
        return Promise.resolve({ account: 'lantern-home' });
      },
    },
    addStore: (input) => {
      added.push(input);
      return Promise.resolve(view({ name: input.name, endpoint: input.url }));
    },
    view: (storeId) => (storeId === 'lantern-home' ? view({ credentials: 'keychain' }) : undefined),
    store: (storeId) => Promise.resolve(stores.find((store) => store.id === storeId) ?? null),
  };
  return { handlers: aliExpressStoreHandlers(deps), vault, added, begun, completed };
}

describe('the AliExpress store channels', () => {
  it('stores.addAliExpress adds the store with its app kept as not-yet-signed-in credentials (the default gateway when none is given)', async () => {
    const { handlers, added } = setup();
    const input = CHANNELS['stores.addAliExpress'].input.parse({ name: ' Lantern Home ', ...APP });
    expect(await handlers['stores.addAliExpress'](input)).toMatchObject({ name: 'Lantern Home', credentials: 'missing' });
    expect(added).toHaveLength(1);
    const [store] = added as Array<{ name: string; kind: string; url: string; token: string }>;
    expect(store).toMatchObject({ name: 'Lantern Home', kind: 'aliexpress', url: 'https://api-sg.aliexpress.com' });
    expect(readAliExpressCredentials(store?.token ?? null)).toEqual(pendingAliExpressCredentials(APP));
  });

  it('stores.signIn begins with the store kept app key and gateway', async () => {
    const { handlers, begun } = setup();
    expect(await handlers['stores.signIn']({ storeId: 'lantern-home' })).toEqual({
      authorizeUrl: 'https://api-sg.aliexpress.com/oauth/authorize?state=s',
      redirectUri: 'http://127.0.0.1:1/aliexpress/callback',
    });
    expect(begun).toEqual([{ id: 'lantern-home', name: 'Lantern Home', gatewayUrl: 'https://api-sg.aliexpress.com', appKey: '513774' }]);
  });

  it('stores.completeSignIn completes it and answers the store as it is now', async () => {
    const { handlers, completed } = setup();
    expect(await handlers['stores.completeSignIn']({ storeId: 'lantern-home', pasted: 'code-1' })).toMatchObject({ id: 'lantern-home', credentials: 'keychain' });
    expect(completed).toEqual([{ storeId: 'lantern-home', pasted: 'code-1' }]);
  });

  it.each([
    ['an unknown store', 'nowhere', 'not_found'],
    ['a store of another marketplace', 'main', 'invalid_input'],
    ['an AliExpress store whose app is not kept', 'harbor', 'credentials_missing'],
  ])('refuses to sign in %s', async (_label, storeId, code) => {
    const { handlers, begun } = setup([
      { id: 'main', name: 'Demo shop', kind: 'demo', url: null },
      { id: 'harbor', name: 'Harbor Goods', kind: 'aliexpress', url: 'https://api-sg.aliexpress.com' },
    ]);
    await expect(handlers['stores.signIn']({ storeId })).rejects.toMatchObject({ code });
    expect(begun).toEqual([]);
  });

  it('refuses to complete the sign-in of a store it cannot show', async () => {
    const { handlers } = setup([{ id: 'harbor', name: 'Harbor Goods', kind: 'aliexpress', url: 'https://api-sg.aliexpress.com' }]);
    await expect(handlers['stores.completeSignIn']({ storeId: 'harbor', pasted: 'code-1' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a bare token for an AliExpress store, and only for one', () => {
    const aliexpress: StoreFacts = { id: 'lantern-home', name: 'Lantern Home', kind: 'aliexpress', url: 'https://api-sg.aliexpress.com' };
    expect(() => refuseBareToken(aliexpress, 'tok-3f9a-7c21')).toThrow('Lantern Home is an AliExpress store: sign in with AliExpress from Settings instead of entering a token.');
    expect(() => refuseBareToken(aliexpress, 'tok-3f9a-7c21')).toThrow(expect.objectContaining({ code: 'invalid_input' }) as Error);
    expect(() => refuseBareToken(aliexpress, undefined)).not.toThrow();
    expect(() => refuseBareToken({ ...aliexpress, kind: 'demo' }, 'tok-3f9a-7c21')).not.toThrow();
    expect(() => refuseBareToken(null, 'tok-3f9a-7c21')).not.toThrow();
  });
});

describe('the AliExpress store channels at the IPC boundary', () => {
  const add = CHANNELS['stores.addAliExpress'].input;
  it.each([
    ['an http gateway elsewhere than this machine', { gatewayUrl: 'http://api-sg.aliexpress.com' }],
    ['a gateway with a query', { gatewayUrl: 'https://api-sg.aliexpress.com/?x=1' }],
    ['a gateway with a password', { gatewayUrl: 'https://user:pass@api-sg.aliexpress.com' }],
    ['an empty app key', { appKey: ' ' }],
    ['an app key with a space', { appKey: '513 774' }],
    ['an app key of 65 characters', { appKey: '1'.repeat(65) }],
    ['a short secret', { appSecret: 'short' }],
    ['a secret of 257 characters', { appSecret: 's'.repeat(257) }],
    ['an unknown field', { token: 'x' }],
  ])('refuses %s', (_label, change) => {
    expect(add.safeParse({ name: 'Lantern Home', ...APP, ...change }).success).toBe(false);
  });

  it('takes the local sandbox over http on this machine', () => {
    expect(add.parse({ name: 'Sandbox', ...APP, gatewayUrl: 'http://127.0.0.1:4010' }).gatewayUrl).toBe('http://127.0.0.1:4010');
  });

  it('bounds the pasted code, and takes no extra field', () => {
    const complete = CHANNELS['stores.completeSignIn'].input;
    expect(complete.safeParse({ storeId: 'lantern-home', pasted: ' ' }).success).toBe(false);
    expect(complete.safeParse({ storeId: 'lantern-home', pasted: 'x'.repeat(4_097) }).success).toBe(false);
    expect(complete.safeParse({ storeId: 'lantern-home', pasted: 'code', state: 's' }).success).toBe(false);
    expect(CHANNELS['stores.signIn'].input.safeParse({ storeId: 'lantern-home', appKey: 'x' }).success).toBe(false);
  });
});
