/** What the hub posts; a receiver switches on `type` (also in the X-Serfbort-Event header). */
export const WEBHOOK_EVENTS = [
  /** every targeted host answered and all succeeded */
  'deploy.finished',
  /** every targeted host reached a final state and at least one did not succeed */
  'deploy.failed',
  'rollout.finished',
  /** halted, aborted, rolled back or expired: a person should look */
  'rollout.halted',
  /** an approved agent has been gone longer than `lostAfterMs` */
  'agent.lost',
  /** new keys wait for an operator's approval (one event for all that arrived together) */
  'agent.pending',
  /** the root or keyring expires soon: when it does, every deploy stops */
  'trust.expiring',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** One event, stored once per hub fleet (its key is unique) and posted to each subscribed endpoint. */
export interface WebhookEvent {
  /** unique across the fleet's hubs: the same fact is never posted twice */
  key: string;
  type: WebhookEventType;
  at: number;
  data: Record<string, unknown>;
}
