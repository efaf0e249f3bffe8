import { keyConflicts, type CommandCategory, type CommandId, type CommandSpec } from '../../../shared/commands';
import { chordOf, isTypingTarget, stepsOf, type Platform } from './keys';

/**
 * The one command registry (design.md §8): the catalogue from shared/ (id, title, category,
 * keys) joined with what the renderer knows (`when`, `run`). The palette, the `?` overlay and the
 * app menu read the same list; the registry owns the only keydown listener of the app.
 */
export interface CommandDefinition<Context> {
  /** Whether the command applies now; a command that does not is shown greyed and does nothing. */
  readonly when?: (context: Context) => boolean;
  /**
   * Why the rules say no to it now, in their sentence (null: nothing known against it). The
   * palette greys it and shows the sentence; its key still runs it, and the run says the same.
   */
  readonly blocked?: (context: Context) => string | null;
  readonly run: (context: Context) => void | Promise<void>;
}

export type CommandDefinitions<Context> = Readonly<Record<CommandId, CommandDefinition<Context>>>;

export interface RegisteredCommand {
  readonly id: CommandId;
  readonly title: string;
  readonly category: CommandCategory;
  readonly keys: readonly string[];
}

export class CommandRegistryError extends Error {
  override readonly name = 'CommandRegistryError';
}

export interface CommandRegistry {
  readonly commands: readonly RegisteredCommand[];
  enabled(id: CommandId): boolean;
  /** The sentence why the rules say no to the command now; null when nothing is known against it. */
  blockedReason(id: CommandId): string | null;
  /** Runs the command if `when` allows it; resolves to whether it ran. */
  run(id: CommandId): Promise<boolean>;
  /** Feeds one keydown; returns the command it ran (or null). */
  handleKeydown(event: KeyboardEvent): Promise<CommandId | null>;
  /** The first step of a sequence typed so far (`g`), for the screen to show; null when none. */
  pendingPrefix(): string | null;
  /** Listens on the window (the app's only keydown listener); returns the function that stops it. */
  install(target: Window): () => void;
}

export interface RegistryOptions<Context> {
  readonly catalogue: readonly CommandSpec[];
  readonly definitions: CommandDefinitions<Context>;
  readonly context: () => Context;
  readonly platform: Platform;
  /** Whether keys are for something else right now (a modal dialog is open, say). */
  readonly keysSuspended?: () => boolean;
  /** A command's run failed: show it (the registry never swallows an error). */
  readonly onError: (id: CommandId, error: unknown) => void;
  /** How long the first step of a sequence waits for the next, in ms. */
  readonly sequenceTimeoutMs?: number;
}

/** Every clash in a keymap: the same binding twice, or a binding that is also the start of a sequence. */
export function keymapProblems(catalogue: readonly CommandSpec[]): string[] {
  const problems = keyConflicts(catalogue).map(({ key, commands }) => `"${key}" is bound to ${commands.join(' and ')}`);
  const single = new Map<string, string>();
  for (const command of catalogue) {
    for (const key of command.keys) if (stepsOf(key).length === 1) single.set(key, command.id);
  }
  for (const command of catalogue) {
    for (const key of command.keys) {
      const steps = stepsOf(key);
      for (let length = 1; length < steps.length; length += 1) {
        const prefix = steps.slice(0, length).join(' ');
        const owner = single.get(prefix);
        if (owner !== undefined) problems.push(`"${prefix}" runs ${owner} and also starts "${key}" of ${command.id}`);
      }
    }
  }
  return problems;
}

export function createCommandRegistry<Context>(options: RegistryOptions<Context>): CommandRegistry {
  const problems = keymapProblems(options.catalogue);
  if (problems.length > 0) {
    throw new CommandRegistryError(`The keymap has conflicts: ${problems.join('; ')}. Give each command its own keys.`);
  }
  const bindings = new Map<string, CommandId>();
  const prefixes = new Set<string>();
  const commands: RegisteredCommand[] = options.catalogue.map((spec) => {
    const id = spec.id as CommandId;
    if (!Object.hasOwn(options.definitions, id)) {
      throw new CommandRegistryError(`The command ${id} is in the catalogue but has no run(); define it in the renderer's commands.`);
    }
    for (const key of spec.keys) {
      const steps = stepsOf(key);
      bindings.set(steps.join(' '), id);
      for (let length = 1; length < steps.length; length += 1) prefixes.add(steps.slice(0, length).join(' '));
    }
    return { id, title: spec.title, category: spec.category, keys: spec.keys };
  });

  let pending: string | null = null;
  let pendingTimer: ReturnType<typeof setTimeout> | null = null;
  const clearPending = (): void => {
    pending = null;
    if (pendingTimer !== null) clearTimeout(pendingTimer);
    pendingTimer = null;
  };

  const enabled = (id: CommandId): boolean => {
    const when = options.definitions[id].when;
    return when === undefined || when(options.context());
  };

  const blockedReason = (id: CommandId): string | null => options.definitions[id].blocked?.(options.context()) ?? null;

  const run = async (id: CommandId): Promise<boolean> => {
    if (!enabled(id)) return false;
    try {
      await options.definitions[id].run(options.context());
    } catch (error) {
      options.onError(id, error);
    }
    return true;
  };

  const handleKeydown = async (event: KeyboardEvent): Promise<CommandId | null> => {
    if (event.defaultPrevented || event.isComposing) return null;
    if (isTypingTarget(event.target) || options.keysSuspended?.() === true) {
      clearPending();
      return null;
    }
    const chord = chordOf(event, options.platform);
    if (chord === null) return null;
    const sequence = pending === null ? chord : `${pending} ${chord}`;
    clearPending();
    if (prefixes.has(sequence)) {
      event.preventDefault();
      pending = sequence;
      pendingTimer = setTimeout(clearPending, options.sequenceTimeoutMs ?? 1500);
      return null;
    }
    // A sequence that went nowhere: the last key may still be a command of its own.
    const id = bindings.get(sequence) ?? (sequence === chord ? undefined : bindings.get(chord));
    if (id === undefined || !enabled(id)) return null;
    event.preventDefault();
    await run(id);
    return id;
  };

  return {
    commands,
    enabled,
    blockedReason,
    run,
    handleKeydown,
    pendingPrefix: () => pending,
    install(target) {
      const listener = (event: KeyboardEvent): void => {
        void handleKeydown(event);
      };
      target.addEventListener('keydown', listener);
      return () => {
        target.removeEventListener('keydown', listener);
        clearPending();
      };
    },
  };
}
