/**
 * The version of the rules' behaviour, recorded with every decision. Bump it whenever an
 * outcome can change for the same input (a new block, another amount, a different transition):
 * major for a change of meaning, minor for a new allowance, patch for wording only.
 */
export const RULES_VERSION = '1.0.0';
