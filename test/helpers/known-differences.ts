/**
 * Every class of difference between Flowlab's flows and tshark's conversations, with the reason.
 * A difference that matches none of these fails the tests.
 */
export interface KnownDifference {
  reason: string;
  matches(key: string): boolean;
}

export const KNOWN_CONVERSATION_DIFFERENCES: readonly KnownDifference[] = [];
