import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Connection, ConnectionUpdate } from '../../../shared/ipc/contract';
import type { DeskErrorShape } from '../../../shared/errors';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { DeskCallError, getDesk, unwrap } from '../api/desk';

/** What went wrong, as the backend said it (or as the renderer saw it when the call itself failed). */
function describeFailure(cause: unknown): DeskErrorShape {
  if (cause instanceof DeskCallError) return { code: cause.code, message: cause.message };
  return { code: 'renderer.unexpected', message: cause instanceof Error ? cause.message : String(cause) };
}

/**
 * The seller's settings and marketplace connection as the backend holds them. Thin: the forms
 * keep their own drafts and validate with the shared schemas; this store only loads, saves and
 * follows `settings.changed`.
 */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);
  const connection = ref<Connection | null>(null);
  const loading = ref(false);
  /** A save is in flight (settings or connection). */
  const saving = ref(false);
  /** The last failed call, cleared by the next successful one. */
  const error = ref<DeskErrorShape | null>(null);

  /** Loads settings and connection; a failure lands in `error` (it does not throw). */
  async function load(): Promise<void> {
    loading.value = true;
    try {
      const desk = getDesk();
      const [nextSettings, nextConnection] = await Promise.all([desk.getSettings({}), desk.getConnection({})]);
      settings.value = unwrap(nextSettings);
      connection.value = unwrap(nextConnection);
      error.value = null;
    } catch (cause) {
      error.value = describeFailure(cause);
    } finally {
      loading.value = false;
    }
  }

  /** Sends a patch (a `policy` replaces the whole policy); throws DeskCallError when refused. */
  async function save(patch: SettingsPatch): Promise<Settings> {
    saving.value = true;
    try {
      const saved = unwrap(await getDesk().updateSettings(patch));
      settings.value = saved;
      error.value = null;
      return saved;
    } catch (cause) {
      error.value = describeFailure(cause);
      throw cause;
    } finally {
      saving.value = false;
    }
  }

  /** Saves the marketplace connection; throws DeskCallError when refused. */
  async function saveConnection(update: ConnectionUpdate): Promise<Connection> {
    saving.value = true;
    try {
      const saved = unwrap(await getDesk().updateConnection(update));
      connection.value = saved;
      error.value = null;
      return saved;
    } catch (cause) {
      error.value = describeFailure(cause);
      throw cause;
    } finally {
      saving.value = false;
    }
  }

  /** Follows settings changed elsewhere (another window, the menu); returns the unsubscribe. */
  function follow(): () => void {
    return getDesk().onSettingsChanged((next) => {
      settings.value = next;
    });
  }

  return { settings, connection, loading, saving, error, load, save, saveConnection, follow };
});
