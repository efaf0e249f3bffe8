import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandId } from '../../../../shared/commands';
import { createCommandRegistry, type CommandDefinitions } from '../../../../renderer/src/commands/registry';

describe('a command the rules block', () => {
  it('reports the sentence why; its key still runs it, so the run can say it where the seller looks', async () => {
    const ran: CommandId[] = [];
    const definitions = Object.fromEntries(
      COMMANDS.map((command) => [
        command.id,
        {
          ...(command.id === 'request.escalate' ? { blocked: () => 'Demo marketplace has no escalation for cancellations before shipment.' } : {}),
          run: () => {
            ran.push(command.id);
          },
        },
      ]),
    ) as unknown as CommandDefinitions<object>;
    const registry = createCommandRegistry({ catalogue: COMMANDS, definitions, context: () => ({}), platform: 'other', onError: () => undefined });
    expect(registry.blockedReason('request.escalate')).toBe('Demo marketplace has no escalation for cancellations before shipment.');
    expect(registry.blockedReason('request.accept')).toBeNull();
    expect(registry.enabled('request.escalate')).toBe(true);
    await registry.handleKeydown(new KeyboardEvent('keydown', { key: 'e', cancelable: true }));
    await registry.handleKeydown(new KeyboardEvent('keydown', { key: '.', cancelable: true }));
    expect(ran).toEqual(['request.escalate', 'request.followRecommendation']);
  });
});
