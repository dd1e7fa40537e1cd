import { describe, expect, it } from 'vitest';
import { signPayload } from '../envelope/envelope.js';
import type { PayloadKind } from '../envelope/payload-types.js';
import {
  PAYLOAD_KINDS,
  PAYLOAD_TYPES,
  parsePayloadType,
  payloadTypeOf,
} from '../envelope/payload-types.js';
import { openEnvelope, openPayload } from '../envelope/verify.js';
import { signerFor } from '../keys/signer.js';
import { readAgentHello, readOperatorHello } from '../schemas/agents.js';
import { key, NOW } from '../testing/fixtures.js';
import {
  currentPayloadType,
  SPEAKS_THIS_BUILD,
  SPEAKS_V1,
  SPOKEN_VERSIONS,
  speaksSchema,
  speaksType,
} from './versions.js';

const alice = signerFor(key(7));

describe('payload types', () => {
  it('keeps version 1 byte for byte as before versions existed', () => {
    // older agents verify PAE over these exact strings: never change them
    expect(PAYLOAD_TYPES).toEqual({
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
    });
    for (const kind of PAYLOAD_KINDS) expect(payloadTypeOf(kind, 1)).toBe(PAYLOAD_TYPES[kind]);
  });

  it('names later versions with a .v<N> suffix', () => {
    expect(payloadTypeOf('deploy', 2)).toBe('application/vnd.serfbort.deploy.v2+json');
    expect(payloadTypeOf('checkAnswer', 99)).toBe('application/vnd.serfbort.check-answer.v99+json');
    expect(() => payloadTypeOf('deploy', 0)).toThrow(RangeError);
    expect(() => payloadTypeOf('deploy', 1.5)).toThrow(RangeError);
  });

  it('parses back every kind and version it names', () => {
    for (const kind of PAYLOAD_KINDS)
      for (const version of [1, 2, 10, 99, 9999])
        expect(parsePayloadType(payloadTypeOf(kind, version))).toEqual({ kind, version });
  });

  it.each([
    ['a spelled-out version 1', 'application/vnd.serfbort.deploy.v1+json'],
    ['version 0', 'application/vnd.serfbort.deploy.v0+json'],
    ['a leading zero', 'application/vnd.serfbort.deploy.v02+json'],
    ['a version beyond the bound', 'application/vnd.serfbort.deploy.v10000+json'],
    ['a media-type parameter', 'application/vnd.serfbort.deploy+json;v=2'],
    ['another case', 'application/vnd.serfbort.Deploy+json'],
    ['an unknown kind', 'application/vnd.serfbort.launch+json'],
    ['a foreign type', 'application/json'],
  ])('refuses %s', (_what, type) => {
    expect(parsePayloadType(type)).toBeUndefined();
  });
});

describe('what a peer speaks', () => {
  it('reads a v1 hello as version 1 of everything that existed then', () => {
    const later = ['checkRequest', 'trustReport', 'receiptHead'] as const;
    for (const kind of PAYLOAD_KINDS.filter((k) => !(later as readonly string[]).includes(k)))
      expect(speaksType(SPEAKS_V1, PAYLOAD_TYPES[kind])).toBe(true);
    for (const kind of later) expect(speaksType(SPEAKS_V1, PAYLOAD_TYPES[kind])).toBe(false);
    expect(speaksType(SPEAKS_V1, payloadTypeOf('deploy', 2))).toBe(false);
  });

  it('announces every version of the table and signs the newest', () => {
    expect(speaksSchema.safeParse(SPEAKS_THIS_BUILD).success).toBe(true);
    for (const kind of Object.keys(SPOKEN_VERSIONS) as PayloadKind[])
      for (const v of SPOKEN_VERSIONS[kind])
        expect(speaksType(SPEAKS_THIS_BUILD, payloadTypeOf(kind, v))).toBe(true);
    expect(currentPayloadType('agentAuth')).toBe(payloadTypeOf('agentAuth', 3));
    expect(currentPayloadType('receipt')).toBe(payloadTypeOf('receipt', 2));
    expect(currentPayloadType('deploy')).toBe(PAYLOAD_TYPES.deploy);
  });

  it('does not speak a kind it was not told about, nor a foreign type', () => {
    expect(speaksType({ deploy: [2] }, PAYLOAD_TYPES.deploy)).toBe(false);
    expect(speaksType({ deploy: [2] }, PAYLOAD_TYPES.receipt)).toBe(false);
    expect(speaksType(SPEAKS_THIS_BUILD, 'application/json')).toBe(false);
  });
});

const helloFields = {
  type: 'agent-auth',
  nonce: 'nonce-0123456789abcdef',
  hubId: 'hub-1',
  host: 'weba',
  publicKey: `${'A'.repeat(43)}=`,
  labels: { role: 'web' },
  apps: ['web'],
  agentVersion: '0.2.0',
  at: NOW,
};

describe('opening a payload of one kind', () => {
  it('accepts every spoken version and says which', () => {
    const v1 = openPayload(signPayload(PAYLOAD_TYPES.agentAuth, helloFields, [alice]), 'agentAuth');
    const v2 = openPayload(
      signPayload(payloadTypeOf('agentAuth', 2), { ...helloFields, speaks: SPEAKS_V1 }, [alice]),
      'agentAuth',
    );
    expect(v1).toMatchObject({ ok: true, value: { version: 1 } });
    expect(v2).toMatchObject({ ok: true, value: { version: 2 } });
  });

  it('refuses a version it does not speak with UNSUPPORTED_VERSION, another kind with WRONG_PAYLOAD_TYPE', () => {
    const v99 = signPayload(payloadTypeOf('deploy', 99), { type: 'deploy' }, [alice]);
    expect(openPayload(v99, 'deploy')).toMatchObject({ ok: false, reason: 'UNSUPPORTED_VERSION' });
    expect(openEnvelope(v99, PAYLOAD_TYPES.deploy)).toMatchObject({
      ok: false,
      reason: 'UNSUPPORTED_VERSION',
    });
    expect(openPayload(v99, 'receipt')).toMatchObject({ ok: false, reason: 'WRONG_PAYLOAD_TYPE' });
    const unknownKind = { ...v99, payloadType: 'application/vnd.serfbort.launch.v2+json' };
    expect(openPayload(unknownKind, 'deploy')).toMatchObject({
      ok: false,
      reason: 'WRONG_PAYLOAD_TYPE',
    });
    expect(openPayload({ ...v99, extra: 1 }, 'deploy')).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
    });
  });
});

describe('reading a hello', () => {
  it('gives a v1 hello version 1 of everything and a v2 hello what it announced', () => {
    expect(readAgentHello(helloFields, 1)).toEqual({
      ok: true,
      hello: helloFields,
      speaks: SPEAKS_V1,
    });
    const speaks = { deploy: [1, 2], launch: [1] };
    expect(readAgentHello({ ...helloFields, speaks }, 2)).toEqual({
      ok: true,
      hello: helloFields,
      speaks,
    });
  });

  it('stays strict inside each version', () => {
    expect(readAgentHello({ ...helloFields, speaks: SPEAKS_V1 }, 1).ok).toBe(false);
    expect(readAgentHello(helloFields, 2).ok).toBe(false);
    expect(readAgentHello({ ...helloFields, speaks: SPEAKS_V1, extra: true }, 2).ok).toBe(false);
    expect(readAgentHello({ ...helloFields, speaks: { deploy: [] } }, 2).ok).toBe(false);
    expect(readAgentHello({ ...helloFields, speaks: { deploy: [0] } }, 2).ok).toBe(false);
    const operator = { type: 'operator-auth', nonce: helloFields.nonce, hubId: 'hub-1', at: NOW };
    const withKey = { ...operator, keyId: key(7).keyId };
    expect(readOperatorHello({ ...withKey, speaks: SPEAKS_V1 }, 2).ok).toBe(true);
    expect(readOperatorHello({ ...withKey, speaks: SPEAKS_V1, role: 'admin' }, 2).ok).toBe(false);
  });
});
