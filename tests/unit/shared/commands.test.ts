import { describe, expect, it } from 'vitest';
import { COMMANDS, isCommandId, keyConflicts } from '../../../shared/commands';

describe('the command catalogue', () => {
  it('has unique ids and no key claimed twice', () => {
    expect(new Set(COMMANDS.map((command) => command.id)).size).toBe(COMMANDS.length);
    expect(keyConflicts(COMMANDS)).toEqual([]);
  });

  it('reports a clash with both commands', () => {
    expect(keyConflicts([...COMMANDS, { id: 'x.dup', title: 'Dup', category: 'app', keys: ['j'] }])).toEqual([
      { key: 'j', commands: ['queue.next', 'x.dup'] },
    ]);
  });

  it('knows its ids', () => {
    expect(isCommandId('request.accept')).toBe(true);
    expect(isCommandId('request.delete')).toBe(false);
    expect(isCommandId(42)).toBe(false);
  });

  it('uses the key notation it documents', () => {
    for (const command of COMMANDS) {
      for (const key of command.keys) expect(key).toMatch(/^((mod|shift|alt)\+)*([a-z0-9/?,.]|arrowdown|arrowup|enter|escape)( ([a-z]))?$/);
    }
  });
});
