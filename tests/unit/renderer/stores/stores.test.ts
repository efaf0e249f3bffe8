import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../../shared/errors';
import { setDesk } from '../../../../renderer/src/api/desk';
import { useStoresStore } from '../../../../renderer/src/stores/stores';
import { createFakeDesk } from '../fake-desk';
import { MAIN_STORE, makeStore } from '../store-fixtures';

const lantern = makeStore();

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('the stores store', () => {
  it('loads the list, names stores by id (the id when it does not know one) and follows stores.changed', async () => {
    const desk = createFakeDesk({ more: { 'stores.list': [MAIN_STORE] } });
    setDesk(desk.api);
    const stores = useStoresStore();
    const stop = stores.follow();
    await stores.load();
    expect(stores.list).toEqual([MAIN_STORE]);
    expect(stores.several).toBe(false);
    expect(stores.nameOf('main')).toBe('Demo shop');
    expect(stores.nameOf('gone-store')).toBe('gone-store');

    desk.emit('stores.changed', [MAIN_STORE, lantern]);
    expect(stores.several).toBe(true);
    expect(stores.nameOf('lantern-home')).toBe('Lantern Home');
    stop();
    desk.emit('stores.changed', [MAIN_STORE]);
    expect(stores.list).toHaveLength(2);
  });

  it('keeps a failed read as an error, and the next good read clears it', async () => {
    const desk = createFakeDesk({
      more: {
        'stores.list': () => {
          throw new DeskError('not_ready', 'The cache is still opening; try again in a moment.');
        },
      },
    });
    setDesk(desk.api);
    const stores = useStoresStore();
    await stores.load();
    expect(stores.error).toEqual({ code: 'not_ready', message: 'The cache is still opening; try again in a moment.' });
    expect(stores.loaded).toBe(false);
    desk.answer('stores.list', [MAIN_STORE]);
    await stores.load();
    expect(stores.error).toBeNull();
    expect(stores.loaded).toBe(true);
  });

  it('adds, renames, pauses, sets a token and removes through the backend, taking each answer at once', async () => {
    const desk = createFakeDesk({
      more: {
        'stores.list': [MAIN_STORE],
        'stores.add': () => lantern,
        'stores.update': (input: { storeId: string; name?: string; paused?: boolean; token?: string }) =>
          makeStore({ name: input.name ?? lantern.name, paused: input.paused ?? false }),
        'stores.remove': (input: { storeId: string }) => ({ storeId: input.storeId, requestsRemoved: 12, auditEntriesKept: 40 }),
      },
    });
    setDesk(desk.api);
    const stores = useStoresStore();
    await stores.load();

    await stores.add({ name: 'Lantern Home', kind: 'aliexpress', url: 'https://api.lantern.example', token: 'secret-token-1' });
    expect(stores.list.map((store) => store.id)).toEqual(['main', 'lantern-home']);
    await stores.rename('lantern-home', 'Lantern Home EU');
    expect(stores.nameOf('lantern-home')).toBe('Lantern Home EU');
    await stores.setPaused('lantern-home', true);
    expect(stores.byId.get('lantern-home')?.paused).toBe(true);
    await stores.setToken('lantern-home', 'secret-token-2');
    expect(desk.inputsOf('stores.update')).toEqual([
      { storeId: 'lantern-home', name: 'Lantern Home EU' },
      { storeId: 'lantern-home', paused: true },
      { storeId: 'lantern-home', token: 'secret-token-2' },
    ]);
    expect(await stores.remove('lantern-home')).toEqual({ storeId: 'lantern-home', requestsRemoved: 12, auditEntriesKept: 40 });
    expect(stores.list.map((store) => store.id)).toEqual(['main']);
  });

  it('throws the backend\'s refusal with its code and sentence, and changes nothing', async () => {
    const desk = createFakeDesk({
      more: {
        'stores.list': [MAIN_STORE, lantern],
        'stores.remove': () => {
          throw new DeskError('invalid_input', 'The last store cannot be removed.');
        },
      },
    });
    setDesk(desk.api);
    const stores = useStoresStore();
    await stores.load();
    await expect(stores.remove('lantern-home')).rejects.toMatchObject({ code: 'invalid_input', message: 'The last store cannot be removed.' });
    expect(stores.list).toHaveLength(2);
  });
});
