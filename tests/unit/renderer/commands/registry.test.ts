import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, type CommandId, type CommandSpec } from '../../../../shared/commands';
import { DESK_COMMANDS } from '../../../../renderer/src/commands/desk-commands';
import { chordOf, keyText } from '../../../../renderer/src/commands/keys';
import { createCommandRegistry, CommandRegistryError, keymapProblems, type CommandDefinitions } from '../../../../renderer/src/commands/registry';

interface Context {
  ran: CommandId[];
  hasRequest: boolean;
}

function definitions(context: Context): CommandDefinitions<Context> {
  const entries = COMMANDS.map((command) => [
    command.id,
    {
      when: command.category === 'decide' ? (current: Context) => current.hasRequest : undefined,
      run: (current: Context) => {
        current.ran.push(command.id);
      },
    },
  ]);
  void context;
  return Object.fromEntries(entries) as CommandDefinitions<Context>;
}

function setup(catalogue: readonly CommandSpec[] = COMMANDS, context: Context = { ran: [], hasRequest: true }) {
  const registry = createCommandRegistry({
    catalogue,
    definitions: definitions(context),
    context: () => context,
    platform: 'other',
    onError: (id, error) => {
      throw new Error(`${id} failed: ${String(error)}`);
    },
  });
  const stop = registry.install(window);
  return { registry, context, stop };
}

function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

/** The registry's listener is async; let its promise settle. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the command registry', () => {
  it('runs the command bound to a key, and prevents the browser default', async () => {
    const { context, stop } = setup();
    const event = press('j');
    await settle();
    expect(context.ran).toEqual(['queue.next']);
    expect(event.defaultPrevented).toBe(true);
    stop();
  });

  it('reads chords (Shift+J, Ctrl+K) and characters made with Shift (?)', async () => {
    const { context, stop } = setup();
    press('J', { shiftKey: true });
    press('k', { ctrlKey: true });
    press('?', { shiftKey: true });
    await settle();
    expect(context.ran).toEqual(['queue.extendDown', 'app.palette', 'app.help']);
    stop();
  });

  it('runs a sequence (g then n) and forgets a started sequence that went nowhere', async () => {
    const { context, registry, stop } = setup();
    press('g');
    expect(registry.pendingPrefix()).toBe('g');
    press('n');
    await settle();
    expect(context.ran).toEqual(['view.needsReply']);
    expect(registry.pendingPrefix()).toBeNull();
    press('g');
    press('j');
    await settle();
    // "g j" is nothing; j alone still moves.
    expect(context.ran).toEqual(['view.needsReply', 'queue.next']);
    stop();
  });

  it('never fires while the user types in a field, a text area or editable content', async () => {
    const { context, stop } = setup();
    const input = document.createElement('input');
    const area = document.createElement('textarea');
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    document.body.append(input, area, editable);
    for (const target of [input, area, editable]) {
      press('a', {}, target);
      press('j', {}, target);
      press('/', {}, target);
    }
    await settle();
    expect(context.ran).toEqual([]);
    // A checkbox is not a typing target: keys still work there.
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    document.body.append(checkbox);
    press('j', {}, checkbox);
    await settle();
    expect(context.ran).toEqual(['queue.next']);
    stop();
  });

  it('respects when(): a command that does not apply does nothing and lets the key through', async () => {
    const context = { ran: [] as CommandId[], hasRequest: false };
    const { registry, stop } = setup(COMMANDS, context);
    const event = press('a');
    await settle();
    expect(context.ran).toEqual([]);
    expect(event.defaultPrevented).toBe(false);
    expect(registry.enabled('request.accept')).toBe(false);
    expect(await registry.run('request.accept')).toBe(false);
    context.hasRequest = true;
    expect(await registry.run('request.accept')).toBe(true);
    expect(context.ran).toEqual(['request.accept']);
    stop();
  });

  it('refuses a keymap where two commands share a key, or a key also starts a sequence', () => {
    const clash: CommandSpec[] = [
      { id: 'queue.next', title: 'Next', category: 'navigate', keys: ['j'] },
      { id: 'queue.previous', title: 'Previous', category: 'navigate', keys: ['j'] },
    ];
    expect(() => setup(clash)).toThrow(CommandRegistryError);
    expect(() => setup(clash)).toThrow(/"j" is bound to queue.next and queue.previous/);
    const prefix: CommandSpec[] = [
      { id: 'view.all', title: 'All', category: 'view', keys: ['g a'] },
      { id: 'sync.now', title: 'Sync', category: 'app', keys: ['g'] },
    ];
    expect(keymapProblems(prefix)).toEqual(['"g" runs sync.now and also starts "g a" of view.all']);
  });

  it('the shipped catalogue has no conflict and every command is defined', () => {
    expect(keymapProblems(COMMANDS)).toEqual([]);
    expect(Object.keys(DESK_COMMANDS).sort()).toEqual(COMMANDS.map((command) => command.id).sort());
  });

  it('stops listening once uninstalled', async () => {
    const { context, stop } = setup();
    stop();
    press('j');
    await settle();
    expect(context.ran).toEqual([]);
  });

  it('reports a failing command instead of swallowing it', async () => {
    const onError = vi.fn();
    const registry = createCommandRegistry({
      catalogue: COMMANDS,
      definitions: {
        ...definitions({ ran: [], hasRequest: true }),
        'sync.now': {
          run: () => {
            throw new Error('offline');
          },
        },
      },
      context: () => ({ ran: [], hasRequest: true }),
      platform: 'other',
      onError,
    });
    await registry.run('sync.now');
    expect(onError).toHaveBeenCalledWith('sync.now', expect.objectContaining({ message: 'offline' }));
  });
});

describe('key notation', () => {
  it('writes mod as Ctrl elsewhere and as the command key on a Mac', () => {
    expect(chordOf({ key: 'k', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false }, 'other')).toBe('mod+k');
    expect(chordOf({ key: 'k', ctrlKey: false, metaKey: true, altKey: false, shiftKey: false }, 'mac')).toBe('mod+k');
    expect(chordOf({ key: 'k', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false }, 'mac')).toBe('ctrl+k');
    expect(chordOf({ key: 'Shift', ctrlKey: false, metaKey: false, altKey: false, shiftKey: true }, 'other')).toBeNull();
    expect(keyText('mod+k', 'other')).toBe('Ctrl+K');
    expect(keyText('mod+k', 'mac')).toBe('⌘+K');
    expect(keyText('g n', 'other')).toBe('G then N');
    expect(keyText('arrowdown', 'other')).toBe('↓');
  });
});
