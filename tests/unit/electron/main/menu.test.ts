import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS, type CommandSpec } from '../../../../shared/commands';
import { buildMenuTemplate, describeKey, keyItemOptions, keyLabel, type MenuPlatform } from '../../../../electron/main/menu';

function commandItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((top) => (Array.isArray(top.submenu) ? top.submenu : [])).filter((item) => item.role === undefined && item.type !== 'separator');
}

const spec = (keys: string[]): CommandSpec => ({ id: 'test.command', title: 'Test', category: 'app', keys });

describe('catalogue keys as menu accelerators', () => {
  it.each([
    ['mod+k', { kind: 'registered', accelerator: 'CmdOrCtrl+K' }],
    ['mod+,', { kind: 'registered', accelerator: 'CmdOrCtrl+,' }],
    ['alt+shift+arrowdown', { kind: 'registered', accelerator: 'Alt+Shift+Down' }],
    ['mod+a', { kind: 'shown', accelerator: 'CmdOrCtrl+A' }],
    ['j', { kind: 'shown', accelerator: 'J' }],
    ['shift+j', { kind: 'shown', accelerator: 'Shift+J' }],
    ['escape', { kind: 'shown', accelerator: 'Escape' }],
    ['/', { kind: 'shown', accelerator: '/' }],
    ['?', { kind: 'shown', accelerator: '?' }],
    ['g n', { kind: 'text', text: 'g then n' }],
    ['hyper+q', { kind: 'text', text: 'hyper+q' }],
  ])('%s', (binding, expected) => {
    expect(describeKey(binding)).toEqual(expected);
  });

  it('registers chords, shows single keys unregistered, and keeps sequences as text', () => {
    const on = (keys: string[], platform: MenuPlatform) => keyItemOptions(spec(keys), platform);
    expect(on(['mod+k'], 'linux')).toEqual({ accelerator: 'CmdOrCtrl+K' });
    expect(on(['mod+k'], 'darwin')).toEqual({ accelerator: 'CmdOrCtrl+K' });
    expect(on(['j', 'arrowdown'], 'win32')).toEqual({ accelerator: 'J', registerAccelerator: false });
    // macOS cannot show an accelerator without registering it: the key goes to the sublabel.
    expect(on(['j'], 'darwin')).toEqual({ sublabel: 'J' });
    expect(on(['mod+a'], 'darwin')).toEqual({ sublabel: '⌘A' });
    expect(on(['g n'], 'linux')).toEqual({});
    expect(on(['g n'], 'darwin')).toEqual({ sublabel: 'G then N' });
    expect(on([], 'linux')).toEqual({});
  });

  it('writes keys the way each platform shows them', () => {
    expect(keyLabel('mod+shift+k', 'darwin')).toBe('⌘⇧K');
    expect(keyLabel('mod+shift+k', 'linux')).toBe('Ctrl+Shift+K');
    expect(keyLabel('g a', 'win32')).toBe('G then A');
    expect(keyLabel('arrowdown', 'linux')).toBe('Down');
  });
});

describe('the app menu template', () => {
  it.each(['darwin', 'win32', 'linux'] as const)('holds every catalogue command in order, with its title (%s)', (platform) => {
    const template = buildMenuTemplate(COMMANDS, { appName: 'Cancel Desk', platform, developerTools: false, onCommand: () => {} });
    const items = commandItems(template);
    expect(items.map((item) => item.id)).toEqual(COMMANDS.map((command) => command.id));
    expect(items.map((item) => item.label)).toEqual(COMMANDS.map((command) => command.title));
    // No registered accelerator is a plain key that would swallow typing.
    for (const item of items) {
      if (typeof item.accelerator === 'string' && item.registerAccelerator !== false) expect(item.accelerator).toMatch(/^(CmdOrCtrl|Ctrl|Alt|Super)\+/);
    }
    expect(template.some((top) => top.label === 'Edit')).toBe(true);
    expect(JSON.stringify(template)).not.toContain('toggleDevTools');
  });

  it('sends the chosen command’s id', () => {
    const onCommand = vi.fn();
    const template = buildMenuTemplate(COMMANDS, { appName: 'Cancel Desk', platform: 'linux', developerTools: true, onCommand });
    const sync = commandItems(template).find((item) => item.id === 'sync.now');
    sync?.click?.({} as never, undefined, {});
    expect(onCommand).toHaveBeenCalledWith('sync.now');
    expect(JSON.stringify(template)).toContain('toggleDevTools');
  });

  it('has the application menu on macOS and a File menu elsewhere', () => {
    const mac = buildMenuTemplate(COMMANDS, { appName: 'Cancel Desk', platform: 'darwin', developerTools: false, onCommand: () => {} });
    const linux = buildMenuTemplate(COMMANDS, { appName: 'Cancel Desk', platform: 'linux', developerTools: false, onCommand: () => {} });
    expect(mac[0]?.label).toBe('Cancel Desk');
    expect(linux[0]?.label).toBe('File');
  });
});
