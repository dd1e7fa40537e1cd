/** Reported to the hub in the hello and printed by `--version`. */
export const AGENT_VERSION = '0.1.0';
