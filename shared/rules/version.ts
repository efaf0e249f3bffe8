/**
 * The version of the rules' behaviour, recorded with every decision. Bump it whenever an
 * outcome can change for the same input (a new block, another amount, a different transition):
 * major for a change of meaning, minor for a new allowance, patch for wording only.
 */
// 1.1.0: the marketplace's capabilities (an optional input) block the actions it lacks, texts
// longer than it takes, and photos with a refusal or an offer beyond what it takes (none when it
// takes no uploads); without them every outcome is as in 1.0.0.
export const RULES_VERSION = '1.1.0';
