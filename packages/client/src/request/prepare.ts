import type { DeployRequest } from '@serfbort/core';
import type { FieldRefusal } from '../precheck/precheck-deploy.js';
import { precheckDeploy } from '../precheck/precheck-deploy.js';
import type { DeployFields, RequestSource } from './build-request.js';
import { buildDeployRequest } from './build-request.js';
import type { SignedBytes } from './signed-bytes.js';
import { signedBytesOf } from './signed-bytes.js';

export type PreparedDeploy =
  | ({ ok: true; request: DeployRequest } & SignedBytes)
  | { ok: false; refusals: FieldRefusal[] };

/**
 * What both faces do between the operator's input and the signature: the pre-checks, the
 * one builder, the frozen bytes. The same input and source give the same bytes in each.
 */
export function prepareDeployRequest(input: DeployFields, src: RequestSource): PreparedDeploy {
  const checked = precheckDeploy(input);
  if (!checked.ok) return checked;
  const built = buildDeployRequest(checked.fields, src);
  if (!built.ok)
    return { ok: false, refusals: [{ field: 'lifetime', code: built.code, detail: built.detail }] };
  return { ok: true, request: built.value, ...signedBytesOf(built.value) };
}
