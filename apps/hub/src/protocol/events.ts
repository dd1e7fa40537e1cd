import { AGENT_TO_HUB_EVENTS, OPERATOR_TO_HUB_EVENTS } from '@serfbort/core';

/** Every event the contract lets a client send (listed once, in core); anything else is counted and ignored. */
export const AGENT_EVENTS = new Set<string>(AGENT_TO_HUB_EVENTS);

export const OPERATOR_EVENTS = new Set<string>(OPERATOR_TO_HUB_EVENTS);
