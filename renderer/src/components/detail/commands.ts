import { COMMANDS, type CommandId } from '../../../../shared/commands';
import type { SellerActionType } from '../../../../shared/rules/states';

/** The command that carries out each seller action (the lead's registry runs it). */
export const ACTION_COMMANDS: Readonly<Record<SellerActionType, CommandId>> = {
  accept: 'request.accept',
  refuse: 'request.refuse',
  request_proof: 'request.requestProof',
  offer: 'request.offer',
  escalate: 'request.escalate',
};

export const ACTION_TITLES: Readonly<Record<SellerActionType, string>> = {
  accept: 'Accept',
  refuse: 'Refuse',
  request_proof: 'Ask for proof',
  offer: 'Offer',
  escalate: 'Escalate',
};

/** The first default key of a command, as the catalogue writes it ("a", "g n", "mod+k"); '' when it has none. */
export function keyHint(id: CommandId): string {
  return COMMANDS.find((command) => command.id === id)?.keys[0] ?? '';
}

/** The catalogue title of a command. */
export function commandTitle(id: CommandId): string {
  return COMMANDS.find((command) => command.id === id)?.title ?? id;
}
