/**
 * Every signed object has its own payload type; a signature never crosses types.
 * These strings are version 1 of each kind, byte for byte as before versions
 * existed, so every agent and signature made before still verifies.
 */
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
  checkRequest: 'application/vnd.serfbort.check-request+json',
  trustReport: 'application/vnd.serfbort.trust-report+json',
  receiptHead: 'application/vnd.serfbort.receipt-head+json',
} as const;
export type PayloadKind = keyof typeof PAYLOAD_TYPES;
export type PayloadType = (typeof PAYLOAD_TYPES)[PayloadKind];

export const PAYLOAD_KINDS = Object.keys(PAYLOAD_TYPES) as PayloadKind[];

/** The highest version number a payload type may name (it bounds the text, not the protocol). */
export const MAX_PAYLOAD_VERSION = 9999;

/*
 * Later versions put `.v<N>` before the suffix: `application/vnd.serfbort.deploy.v2+json`.
 * A suffix rather than a `;v=2` media-type parameter, because parameters come with
 * optional whitespace, quoting and case rules, and a signed type must have exactly one
 * spelling. For the same reason version 1 is only ever the bare type: `.v1` is refused.
 */
const SHAPE =
  /^application\/vnd\.serfbort\.([a-z][a-z-]{0,39})(?:\.v([2-9]|[1-9][0-9]{1,3}))?\+json$/;

const KIND_OF_NAME = new Map<string, PayloadKind>(
  PAYLOAD_KINDS.map((kind) => [PAYLOAD_TYPES[kind].slice(25, -5), kind]),
);

/** The payload type of one version of one kind. */
export function payloadTypeOf(kind: PayloadKind, version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > MAX_PAYLOAD_VERSION)
    throw new RangeError(`a payload version is 1 to ${MAX_PAYLOAD_VERSION}, got ${version}`);
  const v1 = PAYLOAD_TYPES[kind];
  return version === 1 ? v1 : `${v1.slice(0, -5)}.v${version}+json`;
}

export interface ParsedPayloadType {
  kind: PayloadKind;
  version: number;
}

/** Which kind and version a payload type names; undefined for anything not ours. Pure. */
export function parsePayloadType(type: string): ParsedPayloadType | undefined {
  const m = SHAPE.exec(type);
  const kind = m ? KIND_OF_NAME.get(m[1]!) : undefined;
  if (!m || !kind) return undefined;
  return { kind, version: m[2] === undefined ? 1 : Number(m[2]) };
}
