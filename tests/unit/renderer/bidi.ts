import { expect } from 'vitest';

/**
 * Untrusted text that would reorder what follows it if it were not isolated (design.md §11): an
 * unclosed RIGHT-TO-LEFT OVERRIDE (the buyer), an unclosed LEFT-TO-RIGHT OVERRIDE after
 * Arabic, and an unclosed RIGHT-TO-LEFT ISOLATE.
 */
export const HOSTILE_NAMES: ReadonlyArray<readonly [label: string, text: string]> = [
  ['RLO U+202E', 'Mallory \u202Eeciffo'],
  ['LRO U+202D', 'مريم \u202Dnapaj'],
  ['RLI U+2067', 'Mallory \u2067eciffo'],
];

/** An element that isolates its content: a <bdi>, or dir="auto" with the app's isolating class. */
function isolates(element: Element): boolean {
  if (element.tagName === 'BDI') return true;
  return element.getAttribute('dir') === 'auto' && (element.classList.contains('untrusted') || element.classList.contains('untrusted-block'));
}

/**
 * Asserts that `text` sits, alone, in an isolating element inside `within`: the element holding
 * the untrusted text is isolated, and the app's text after it is outside that element.
 */
export function expectIsolated(within: { element: Element } | Element, text: string): Element {
  const root = within instanceof Element ? within : within.element;
  const candidates = [root, ...root.querySelectorAll('*')].filter(isolates);
  const holder = candidates.find((element) => element.textContent === text);
  expect(
    holder,
    `no isolating element (<bdi> or dir="auto" + .untrusted) holds exactly ${JSON.stringify(text)}; isolating elements hold ${JSON.stringify(candidates.map((element) => element.textContent))} in ${JSON.stringify(root.textContent)}`,
  ).toBeDefined();
  return holder as Element;
}
