/**
 * The app menu, generated from the command catalogue (shared/commands.ts): the same ids, titles,
 * categories and default keys as the palette and the `?` overlay. Choosing an item sends the
 * command's id to the renderer, which runs it (`command.invoke`).
 *
 * Keys: only chords with Ctrl/Cmd or Alt become registered accelerators. A plain key (`j`, `?`),
 * a shifted letter (`shift+j`) or a sequence (`g n`) would swallow typing in every text field if
 * the menu registered it, so those are shown, never registered: Windows and Linux display them
 * with `registerAccelerator: false`; macOS, which has no such switch, shows them as a sublabel.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { CATEGORY_TITLES, COMMAND_CATEGORIES, type CommandCategory, type CommandSpec } from '../../shared/commands';

/** Editing chords that text fields need natively: a command may claim one, but the menu never registers it. */
const EDITING_CHORDS = new Set(['mod+a', 'mod+c', 'mod+v', 'mod+x', 'mod+z', 'mod+shift+z', 'mod+y']);

const KEY_NAMES: Readonly<Record<string, string>> = {
  arrowdown: 'Down',
  arrowup: 'Up',
  arrowleft: 'Left',
  arrowright: 'Right',
  enter: 'Enter',
  escape: 'Escape',
  space: 'Space',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  '+': 'Plus',
};

const MODIFIERS: Readonly<Record<string, string>> = { mod: 'CmdOrCtrl', ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Super' };

export type KeyDisplay =
  /** A chord the menu registers (it fires the command from anywhere in the window). */
  | { kind: 'registered'; accelerator: string }
  /** A single keystroke the menu shows but leaves to the page, which handles it in context. */
  | { kind: 'shown'; accelerator: string }
  /** Not expressible as an accelerator (a sequence): shown as text where the platform can. */
  | { kind: 'text'; text: string };

/** One step of the catalogue's notation (`mod+shift+k`, `j`, `?`) as an Electron accelerator. */
function stepToAccelerator(step: string): string | null {
  const parts = step === '+' ? ['+'] : step.split('+');
  const key = parts.pop();
  if (key === undefined || key === '') return null;
  const modifiers: string[] = [];
  for (const part of parts) {
    const modifier = MODIFIERS[part];
    if (modifier === undefined) return null;
    modifiers.push(modifier);
  }
  const keyName = KEY_NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : null);
  if (keyName === null) return null;
  return [...modifiers, keyName].join('+');
}

/** How a catalogue key binding appears in the menu. */
export function describeKey(binding: string): KeyDisplay {
  const steps = binding.trim().split(/\s+/);
  const step = steps[0];
  if (steps.length !== 1 || step === undefined) return { kind: 'text', text: steps.join(' then ') };
  const accelerator = stepToAccelerator(step);
  if (accelerator === null) return { kind: 'text', text: step };
  const modifiers = step === '+' ? [] : step.split('+').slice(0, -1);
  const chord = modifiers.some((modifier) => modifier === 'mod' || modifier === 'ctrl' || modifier === 'alt' || modifier === 'meta');
  return chord && !EDITING_CHORDS.has(step) ? { kind: 'registered', accelerator } : { kind: 'shown', accelerator };
}

export type MenuPlatform = 'darwin' | 'win32' | 'linux';

/** The key part of a menu item for a command's first (shown) binding. */
export function keyItemOptions(command: CommandSpec, platform: MenuPlatform): Pick<MenuItemConstructorOptions, 'accelerator' | 'registerAccelerator' | 'sublabel'> {
  const binding = command.keys[0];
  if (binding === undefined) return {};
  const display = describeKey(binding);
  switch (display.kind) {
    case 'registered':
      return { accelerator: display.accelerator };
    case 'shown':
      return platform === 'darwin' ? { sublabel: keyLabel(binding, platform) } : { accelerator: display.accelerator, registerAccelerator: false };
    case 'text':
      return platform === 'darwin' ? { sublabel: keyLabel(binding, platform) } : {};
    default:
      return missingCase(display);
  }
}

const MAC_SYMBOLS: Readonly<Record<string, string>> = { mod: '⌘', meta: '⌘', ctrl: '⌃', alt: '⌥', shift: '⇧' };
const TEXT_NAMES: Readonly<Record<string, string>> = { mod: 'Ctrl', meta: 'Super', ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift' };

/** A binding as a person reads it: `⌘K`, `Ctrl+K`, `G then N`, `?`. */
export function keyLabel(binding: string, platform: MenuPlatform): string {
  return binding
    .trim()
    .split(/\s+/)
    .map((step) => {
      const parts = step === '+' ? ['+'] : step.split('+');
      const key = parts.pop() ?? '';
      const keyName = KEY_NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key);
      if (platform === 'darwin') return `${parts.map((part) => MAC_SYMBOLS[part] ?? part).join('')}${keyName}`;
      return [...parts.map((part) => TEXT_NAMES[part] ?? part), keyName].join('+');
    })
    .join(' then ');
}

function missingCase(value: never): never {
  throw new Error(`Unhandled key display: ${JSON.stringify(value)}`);
}

export interface MenuOptions {
  appName: string;
  platform: MenuPlatform;
  /** Whether View offers the developer tools (development builds only). */
  developerTools: boolean;
  onCommand(id: string): void;
}

/** The whole menu bar: the catalogue's categories in order, between the platform's standard menus. */
export function buildMenuTemplate(commands: readonly CommandSpec[], options: MenuOptions): MenuItemConstructorOptions[] {
  const byCategory = new Map<CommandCategory, CommandSpec[]>();
  for (const command of commands) byCategory.set(command.category, [...(byCategory.get(command.category) ?? []), command]);

  const commandMenus: MenuItemConstructorOptions[] = COMMAND_CATEGORIES.filter((category) => byCategory.has(category)).map((category) => ({
    id: `menu.${category}`,
    label: CATEGORY_TITLES[category],
    submenu: (byCategory.get(category) ?? []).map((command) => ({
      id: command.id,
      label: command.title,
      ...keyItemOptions(command, options.platform),
      click: () => options.onCommand(command.id),
    })),
  }));

  const isMac = options.platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
        },
      ]
    : [{ id: 'menu.file', label: 'File', submenu: [{ role: 'quit' }] }];
  // Text fields need the standard editing commands (on macOS they work only through this menu).
  const editMenu: MenuItemConstructorOptions = {
    id: 'menu.edit',
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const viewMenu: MenuItemConstructorOptions = {
    id: 'menu.view',
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.developerTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { id: 'menu.window', role: 'windowMenu' };
  return [...appMenu, editMenu, ...commandMenus, viewMenu, windowMenu];
}
