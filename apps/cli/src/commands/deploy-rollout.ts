import { EXIT, usageError } from '../errors.js';
import { deployAsRollout } from '../rollout/start.js';
import type { Deploying } from './deploy-job.js';

/** `deploy` with rollout options: one request per step, each signed as its step comes. */
export async function startRollout(job: Deploying): Promise<number> {
  const { ctx, hub, hosts, signers, agentKeys, request, opts } = job;
  if (opts.signOnly)
    throw usageError('BAD_OPTION', '--sign-only signs one request; a rollout signs one per step');
  if (!opts.wait)
    throw usageError('BAD_OPTION', 'a rollout waits for each step; --no-wait does not apply');
  // a step's request would go out without the digest: refused rather than dropped
  if (request.artifact)
    throw usageError(
      'BAD_OPTION',
      '--artifact signs a single deploy; rollouts do not carry an artifact yet (deploy by batches of hosts instead)',
    );
  // a rollout plans its steps from the hosts the hub lists: say whom it can never reach
  const listed = new Set(hosts.map((h) => h.name));
  const gone = new Set(job.rostered.disappeared);
  const missing = job.rostered.covered.filter((h) => !listed.has(h) || gone.has(h));
  if (missing.length > 0)
    ctx.out.alarm(
      `withheld by the hub or approval disappeared (operators approved them; no step will reach them): ${missing.join(', ')}`,
    );
  const code = await deployAsRollout(ctx, hub, hosts, signers, agentKeys, {
    app: request.app,
    version: request.version,
    target: request.target,
    ...(opts.expect ? { expect: opts.expect } : {}),
    flags: opts,
    ...(opts.yes ? { yes: true } : {}),
    json: opts.json === true,
  });
  return code === EXIT.ok && missing.length > 0 ? EXIT.hosts : code;
}
