/** Focus and key decisions of the modal dialog, kept out of the component so they read as rules. */

const FIELD_SELECTOR = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

/**
 * What gets focus when a dialog opens: the first enabled field (for a radio group, its checked
 * radio when there is one), else the primary button when it is enabled, else Cancel.
 */
export function firstFocusTarget(
  body: HTMLElement | null,
  primary: HTMLButtonElement | null,
  cancel: HTMLButtonElement | null,
): HTMLElement | null {
  const field = body?.querySelector<HTMLElement>(FIELD_SELECTOR) ?? null;
  if (field instanceof HTMLInputElement && field.type === 'radio' && field.name !== '') {
    const radios = body?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [];
    const checked = [...radios].find((radio) => radio.name === field.name && radio.checked && !radio.disabled);
    if (checked !== undefined) return checked;
  }
  if (field !== null) return field;
  if (primary !== null && !primary.disabled) return primary;
  return cancel;
}

/** Input types where Enter means "activate this control", not "submit the form". */
const ENTER_ACTIVATES = new Set(['button', 'submit', 'reset', 'file', 'image', 'color']);
const ENTER_IS_THEIRS = new Set(['BUTTON', 'A', 'TEXTAREA', 'SELECT', 'SUMMARY']);

/**
 * Whether a plain Enter on `target` submits the dialog: yes in a single-line field (and a radio
 * or checkbox) and on the dialog's own surface; no on buttons, links, selects and text areas,
 * where Enter already means something.
 */
export function enterSubmits(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return false;
  if (target instanceof HTMLInputElement) return !ENTER_ACTIVATES.has(target.type);
  return !ENTER_IS_THEIRS.has(target.tagName);
}
