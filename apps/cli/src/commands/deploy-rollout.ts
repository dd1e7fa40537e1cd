import { usageError } from '../errors.js';
import { deployAsRollout } from '../rollout/start.js';
import type { Deploying } from './deploy-job.js';

/** `deploy` with rollout options: one request per step, each signed as its step comes. */
export async function startRollout(job: Deploying): Promise<number> {
  const { ctx, hub, hosts, signers, agentKeys, request, opts } = job;
  if (opts.signOnly)
    throw usageError('BAD_OPTION', '--sign-only signs one request; a rollout signs one per step');
  if (!opts.wait)
    throw usageError('BAD_OPTION', 'a rollout waits for each step; --no-wait does not apply');
  return deployAsRollout(ctx, hub, hosts, signers, agentKeys, {
    app: request.app,
    version: request.version,
    target: request.target,
    ...(opts.expect ? { expect: opts.expect } : {}),
    flags: opts,
    ...(opts.yes ? { yes: true } : {}),
    json: opts.json === true,
  });
}
