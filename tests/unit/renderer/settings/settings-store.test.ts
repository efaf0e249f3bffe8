import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeskCallError, setDesk } from '../../../../renderer/src/api/desk';
import { useSettingsStore } from '../../../../renderer/src/stores/settings';
import { createFakeSettingsDesk, makeConnection, makeSettings } from './fake-settings-desk';

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('the settings store', () => {
  it('loads settings and connection together', async () => {
    const desk = createFakeSettingsDesk({ settings: makeSettings({ syncIntervalMinutes: 7 }), connection: makeConnection({ tokenStored: true }) });
    setDesk(desk.api);
    const store = useSettingsStore();
    await store.load();
    expect(store.settings?.syncIntervalMinutes).toBe(7);
    expect(store.connection?.tokenStored).toBe(true);
    expect(store.error).toBeNull();
    expect(store.loading).toBe(false);
  });

  it('keeps a load failure in `error` instead of throwing', async () => {
    const desk = createFakeSettingsDesk();
    desk.answer('connection.get', () => ({ ok: false, error: { code: 'internal', message: 'The keychain is locked.' } }));
    setDesk(desk.api);
    const store = useSettingsStore();
    await store.load();
    expect(store.error).toEqual({ code: 'internal', message: 'The keychain is locked.' });
  });

  it('saves a patch and keeps what the backend answered', async () => {
    const desk = createFakeSettingsDesk();
    setDesk(desk.api);
    const store = useSettingsStore();
    const pending = store.save({ syncIntervalMinutes: 9 });
    expect(store.saving).toBe(true);
    await pending;
    expect(store.saving).toBe(false);
    expect(store.settings?.syncIntervalMinutes).toBe(9);
    expect(desk.callsTo('settings.update')).toEqual([{ syncIntervalMinutes: 9 }]);
  });

  it('throws the backend refusal as a DeskCallError, with its code', async () => {
    const desk = createFakeSettingsDesk();
    desk.answer('connection.update', () => ({ ok: false, error: { code: 'invalid_input', message: 'marketplaceUrl: must be https' } }));
    setDesk(desk.api);
    const store = useSettingsStore();
    const failure = await store.saveConnection({ kind: 'remote', marketplaceUrl: 'https://a.example' }).catch((cause: unknown) => cause);
    expect(failure).toBeInstanceOf(DeskCallError);
    expect(failure).toMatchObject({ code: 'invalid_input', message: 'marketplaceUrl: must be https' });
    expect(store.error?.code).toBe('invalid_input');
    expect(store.saving).toBe(false);
  });

  it('follows settings.changed until unsubscribed', async () => {
    const desk = createFakeSettingsDesk();
    setDesk(desk.api);
    const store = useSettingsStore();
    await store.load();
    const stop = store.follow();
    desk.emit('settings.changed', makeSettings({ syncIntervalMinutes: 60 }));
    expect(store.settings?.syncIntervalMinutes).toBe(60);
    stop();
    expect(desk.listenerCount('settings.changed')).toBe(0);
    desk.emit('settings.changed', makeSettings({ syncIntervalMinutes: 61 }));
    expect(store.settings?.syncIntervalMinutes).toBe(60);
  });
});
