/**
 * Key notation of the command catalogue (shared/commands.ts), read from keyboard events:
 * lower-case key names, chords joined by `+` (`mod` is Ctrl, or Cmd on macOS), the steps of a
 * sequence separated by a space (`g n`).
 */

export type Platform = 'mac' | 'other';

export function currentPlatform(): Platform {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? 'mac' : 'other';
}

const MODIFIER_KEYS = new Set(['shift', 'control', 'alt', 'meta', 'altgraph', 'capslock', 'os']);

/**
 * The chord an event stands for, in catalogue notation; null for a bare modifier. Shift is
 * written for letters and named keys (`shift+j`), not for characters it produces (`?`, not `shift+/`).
 */
export function chordOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, platform: Platform): string | null {
  const key = event.key.toLowerCase();
  if (MODIFIER_KEYS.has(key)) return null;
  const mod = platform === 'mac' ? event.metaKey : event.ctrlKey;
  const other = platform === 'mac' ? event.ctrlKey : event.metaKey;
  const parts: string[] = [];
  if (other) parts.push(platform === 'mac' ? 'ctrl' : 'meta');
  if (mod) parts.push('mod');
  if (event.altKey) parts.push('alt');
  const named = key.length > 1;
  const letter = /^[a-z]$/.test(key);
  if (event.shiftKey && (named || letter)) parts.push('shift');
  parts.push(key === ' ' ? 'space' : key);
  return parts.join('+');
}

/** The steps of a binding (`g n` -> [`g`, `n`]). */
export function stepsOf(binding: string): string[] {
  return binding.split(' ').filter((step) => step !== '');
}

const KEY_LABELS: Readonly<Record<string, string>> = {
  arrowdown: '↓',
  arrowup: '↑',
  arrowleft: '←',
  arrowright: '→',
  enter: 'Enter',
  escape: 'Esc',
  space: 'Space',
  shift: 'Shift',
  alt: 'Alt',
  ctrl: 'Ctrl',
  meta: 'Win',
};

/** A binding as a person reads it: `mod+k` -> ["Ctrl", "K"] (["⌘", "K"] on a Mac); one array per step. */
export function keyLabels(binding: string, platform: Platform): string[][] {
  return stepsOf(binding).map((step) =>
    step.split('+').map((part) => {
      if (part === 'mod') return platform === 'mac' ? '⌘' : 'Ctrl';
      if (part === 'shift' && platform === 'mac') return '⇧';
      const label = KEY_LABELS[part];
      if (label !== undefined) return label;
      return part.length === 1 ? part.toUpperCase() : part;
    }),
  );
}

/** Text for a binding, e.g. "Ctrl+K", "G then N". */
export function keyText(binding: string, platform: Platform): string {
  return keyLabels(binding, platform)
    .map((step) => step.join('+'))
    .join(' then ');
}

/** Whether keys typed here belong to the field (text inputs, text areas, selects, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
  }
  return false;
}
