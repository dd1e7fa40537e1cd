/** Every signed object has its own payload type; a signature never crosses types. */
export const PAYLOAD_TYPES = {
  root: 'application/vnd.serfbort.root+json',
  keyring: 'application/vnd.serfbort.keyring+json',
  deploy: 'application/vnd.serfbort.deploy+json',
  receipt: 'application/vnd.serfbort.receipt+json',
  checkAnswer: 'application/vnd.serfbort.check-answer+json',
  approval: 'application/vnd.serfbort.approval+json',
  enrollmentGrant: 'application/vnd.serfbort.enrollment-grant+json',
  agentAuth: 'application/vnd.serfbort.agent-auth+json',
  operatorAuth: 'application/vnd.serfbort.operator-auth+json',
  lockRelease: 'application/vnd.serfbort.lock-release+json',
} as const;
export type PayloadKind = keyof typeof PAYLOAD_TYPES;
export type PayloadType = (typeof PAYLOAD_TYPES)[PayloadKind];
