/**
 * The command catalogue: every command's id, title, category and default keys, in one place.
 * The renderer's registry adds `when` and `run`; the command palette, the `?` overlay and the
 * Electron app menu are all generated from this list (design.md §8).
 *
 * Key notation: lower-case key names joined by `+` for chords (`mod` is Ctrl, or Cmd on macOS;
 * also `shift`, `alt`), and a space between the steps of a sequence (`g n`: g, then n).
 */
export const COMMAND_CATEGORIES = ['navigate', 'select', 'decide', 'view', 'export', 'app'] as const;
export type CommandCategory = (typeof COMMAND_CATEGORIES)[number];

export const CATEGORY_TITLES: Readonly<Record<CommandCategory, string>> = {
  navigate: 'Move around',
  select: 'Select',
  decide: 'Decide',
  view: 'Go to',
  export: 'Export',
  app: 'App',
};

export interface CommandSpec {
  readonly id: string;
  readonly title: string;
  readonly category: CommandCategory;
  /** Default key bindings; the first is the one shown. */
  readonly keys: readonly string[];
}

export const COMMANDS = [
  { id: 'queue.next', title: 'Next request', category: 'navigate', keys: ['j', 'arrowdown'] },
  { id: 'queue.previous', title: 'Previous request', category: 'navigate', keys: ['k', 'arrowup'] },
  { id: 'request.open', title: 'Open request', category: 'navigate', keys: ['enter', 'o'] },
  { id: 'app.back', title: 'Back / close', category: 'navigate', keys: ['escape'] },
  { id: 'queue.search', title: 'Search', category: 'navigate', keys: ['/'] },
  { id: 'queue.toggleSelect', title: 'Select or unselect', category: 'select', keys: ['x'] },
  { id: 'queue.extendDown', title: 'Extend selection down', category: 'select', keys: ['shift+j'] },
  { id: 'queue.extendUp', title: 'Extend selection up', category: 'select', keys: ['shift+k'] },
  { id: 'queue.selectAll', title: 'Select all in view', category: 'select', keys: ['mod+a'] },
  { id: 'request.accept', title: 'Accept and refund', category: 'decide', keys: ['a'] },
  { id: 'request.refuse', title: 'Refuse…', category: 'decide', keys: ['r'] },
  { id: 'request.requestProof', title: 'Ask for proof…', category: 'decide', keys: ['p'] },
  { id: 'request.offer', title: 'Offer a partial refund…', category: 'decide', keys: ['f'] },
  { id: 'request.escalate', title: 'Escalate to the platform', category: 'decide', keys: ['e'] },
  { id: 'request.followRecommendation', title: 'Do what is recommended', category: 'decide', keys: ['.'] },
  { id: 'request.note', title: 'Add a note…', category: 'decide', keys: ['n'] },
  { id: 'request.message', title: 'Reply to the buyer…', category: 'decide', keys: ['m'] },
  { id: 'batch.undo', title: 'Undo the last decision', category: 'decide', keys: ['z'] },
  { id: 'view.needsReply', title: 'Needs reply', category: 'view', keys: ['g n'] },
  { id: 'view.buyerReplied', title: 'Buyer replied', category: 'view', keys: ['g b'] },
  { id: 'view.proofRequested', title: 'Proof requested', category: 'view', keys: ['g p'] },
  { id: 'view.proofIn', title: 'Proof in', category: 'view', keys: ['g r'] },
  { id: 'view.offers', title: 'Offers', category: 'view', keys: ['g o'] },
  { id: 'view.escalated', title: 'Escalated', category: 'view', keys: ['g e'] },
  { id: 'view.conflicts', title: 'Conflicts', category: 'view', keys: ['g c'] },
  { id: 'view.done', title: 'Done', category: 'view', keys: ['g d'] },
  { id: 'view.all', title: 'All', category: 'view', keys: ['g a'] },
  { id: 'view.insights', title: 'Insights', category: 'view', keys: ['g i'] },
  // Exports have no default keys: they are rare, and the palette and the menu find them.
  { id: 'export.queueCsv', title: 'Export the queue view as CSV', category: 'export', keys: [] },
  { id: 'export.auditCsv', title: 'Export the audit log as CSV', category: 'export', keys: [] },
  { id: 'export.insights.requestsPerDay', title: 'Export requests per day as CSV', category: 'export', keys: [] },
  { id: 'export.insights.outcomes', title: 'Export the outcome mix as CSV', category: 'export', keys: [] },
  { id: 'export.insights.responseTime', title: 'Export time to respond as CSV', category: 'export', keys: [] },
  { id: 'export.insights.refundsPerWeek', title: 'Export refunds per week as CSV', category: 'export', keys: [] },
  { id: 'export.insights.topSkus', title: 'Export top SKUs as CSV', category: 'export', keys: [] },
  { id: 'export.insights.repeatCancellers', title: 'Export repeat cancellers as CSV', category: 'export', keys: [] },
  { id: 'sync.now', title: 'Sync now', category: 'app', keys: ['s'] },
  { id: 'app.palette', title: 'Command palette', category: 'app', keys: ['mod+k'] },
  { id: 'app.help', title: 'Keyboard shortcuts', category: 'app', keys: ['?'] },
  { id: 'app.settings', title: 'Settings', category: 'app', keys: ['mod+,'] },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];

export function isCommandId(value: unknown): value is CommandId {
  return typeof value === 'string' && COMMANDS.some((command) => command.id === value);
}

/** Each binding used twice, with the commands that claim it (an empty list when none clash). */
export function keyConflicts(commands: readonly CommandSpec[]): Array<{ key: string; commands: string[] }> {
  const owners = new Map<string, string[]>();
  for (const command of commands) {
    for (const key of command.keys) owners.set(key, [...(owners.get(key) ?? []), command.id]);
  }
  return [...owners.entries()].filter(([, ids]) => ids.length > 1).map(([key, ids]) => ({ key, commands: ids }));
}
