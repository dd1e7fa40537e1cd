import { artifactRef } from '@serfbort/core';
import type { Refusal } from '../codes.js';
import type { DeployFields } from '../request/build-request.js';
import { checkLifetime } from '../request/lifetime.js';
import { checkApp, checkTarget, checkVersionText } from './fields.js';

export type DeployField = 'app' | 'version' | 'expect' | 'target' | 'lifetime' | 'artifact';
export interface FieldRefusal extends Refusal {
  field: DeployField;
}

export type PrecheckVerdict =
  | { ok: true; fields: DeployFields }
  | { ok: false; refusals: FieldRefusal[] };

/**
 * Everything an operator's client checks before it signs a deploy request, in both faces:
 * the refusals an agent would give (rule 9, a well-formed target) heard before signing, and
 * the fields returned canonical, so the same input signs the same bytes everywhere.
 */
export function precheckDeploy(input: DeployFields): PrecheckVerdict {
  const refusals: FieldRefusal[] = [];
  const take = <T>(field: DeployField, c: { ok: true; value: T } | ({ ok: false } & Refusal)) => {
    if (c.ok) return c.value;
    refusals.push({ field, code: c.code, detail: c.detail });
    return undefined;
  };
  take('app', checkApp(input.app));
  take('version', checkVersionText(input.version));
  if (input.expect !== undefined) take('expect', checkVersionText(input.expect, 'expect'));
  const target = take('target', checkTarget(input.target));
  take('lifetime', checkLifetime(input.lifetimeMs));
  if (input.artifact !== undefined) {
    const a = artifactRef.safeParse(input.artifact);
    if (!a.success) {
      const issue = a.error.issues[0]!;
      refusals.push({
        field: 'artifact',
        code: 'BAD_OPTION',
        detail: `artifact ${issue.path.join('.')}: ${issue.message}`,
      });
    }
  }
  if (refusals.length > 0 || target === undefined) return { ok: false, refusals };
  return { ok: true, fields: { ...input, target } };
}
