import type { AnyReceipt, DeployProgress, DeployRequest, Receipt, RunCode } from '@serfbort/core';
import type { AgentConfig } from '../config/load.js';
import type { ReleaseJob } from '../releases/deploy-release.js';
import { deployRelease, switchBack } from '../releases/deploy-release.js';
import { pruneReleases } from '../releases/prune.js';
import type { RunResult } from '../runner/run-command.js';
import { runCommand } from '../runner/run-command.js';
import { runHealthGate } from './health-gate.js';
import { OutputStream } from './output-stream.js';
import type { VersionCache } from './version-cache.js';

export interface ExecuteDeps {
  config: AgentConfig;
  versions: VersionCache;
  progress(p: DeployProgress): void;
  /** the deploy is running: journal its start, its version before and its process group */
  journalStart(update: {
    startedAt: number;
    versionBefore: string | null;
    pgid?: number;
    program?: string;
  }): void;
}

export type ReceiptFields = Omit<AnyReceipt, 'type'>;

const exitCodeOf = (code: number | null): number | null =>
  code === null ? null : code >= 0 && code <= 255 ? code : -1;

/**
 * Runs one accepted deploy: version before, the deploy argv (no shell; `{version}`
 * replaced inside elements), the health gate if the app has one, version after,
 * `expect` compared.
 */
export async function executeDeploy(
  deps: ExecuteDeps,
  request: DeployRequest,
  digest: string,
  signal: AbortSignal,
): Promise<ReceiptFields> {
  const app = deps.config.apps[request.app]!;
  const env = {
    ...deps.config.childEnv,
    ...app.env,
    SERFBORT_APP: app.name,
    SERFBORT_VERSION: request.version,
    SERFBORT_REQUEST_ID: request.id,
  };
  const startedAt = Date.now();
  const before = await deps.versions.refresh(app);
  deps.journalStart({ startedAt, versionBefore: before.version });
  deps.progress({ requestId: request.id, app: app.name, state: 'running' });
  const output = new OutputStream((lines, dropped) =>
    deps.progress({
      requestId: request.id,
      app: app.name,
      state: 'running',
      lines,
      ...(dropped ? { dropped } : {}),
    }),
  );
  const onLine = (stream: 'stdout' | 'stderr', text: string) => output.push(stream, text);
  // from a spawn on, a restarted agent can end the group this deploy left running
  const onSpawn = (pgid: number, program: string) =>
    deps.journalStart({ startedAt, versionBefore: before.version, pgid, program });
  // a request with an artifact deploys it as a release; without one, the deploy argv runs
  const artifact = request.artifact;
  const releaseJob: ReleaseJob | undefined =
    artifact && app.release
      ? {
          release: app.release,
          version: request.version,
          artifact,
          env,
          signal,
          onLine,
          onSpawn,
        }
      : undefined;
  // the app cannot deploy what was asked: nothing runs
  const unfit: [RunCode, string] | undefined =
    artifact && !app.release
      ? [
          'ARTIFACT_UNSUPPORTED',
          `${app.name} has no release config here: an artifact cannot be verified and deployed`,
        ]
      : !artifact && !app.deploy
        ? [
            'ARTIFACT_REQUIRED',
            `${app.name} deploys releases only: the request must name an artifact (--artifact)`,
          ]
        : undefined;
  const argv = (app.deploy ?? []).map((arg) => arg.replaceAll('{version}', request.version));
  const released = releaseJob ? await deployRelease(releaseJob) : undefined;
  const ranCommand = !releaseJob && !unfit && argv.length > 0;
  const result: RunResult = !ranCommand
    ? { exitCode: 0, signal: null, timedOut: false, aborted: false, stdout: '', tail: [] }
    : await runCommand({
        argv,
        cwd: app.cwd,
        env,
        timeoutMs: app.timeoutMs,
        signal,
        onLine,
        onSpawn: (pgid) => onSpawn(pgid, argv[0]!),
      });
  output.flush();
  const base = {
    // the digest signed; a mismatch adds the one fetched (receipt v2)
    ...(artifact
      ? {
          artifact: {
            sha256: artifact.sha256,
            ...(released?.ok === false && released.fetched ? { fetched: released.fetched } : {}),
          },
        }
      : {}),
    requestId: request.id,
    requestDigest: digest,
    host: deps.config.name,
    app: app.name,
    version: request.version,
    versionBefore: before.version,
    startedAt,
    // a release runs no deploy command: there is no exit code to report
    exitCode: ranCommand ? exitCodeOf(result.exitCode) : null,
  };
  const detail = result.tail.join('\n');
  const done = (
    status: Receipt['status'],
    reason: RunCode | undefined,
    versionAfter: string | null,
    extra?: string,
  ): ReceiptFields => ({
    ...base,
    status,
    ...(reason ? { reason } : {}),
    versionAfter,
    finishedAt: Date.now(),
    ...(status !== 'succeeded' && (extra ?? detail) ? { detail: extra ?? detail } : {}),
  });
  if (unfit) return done('failed', unfit[0], before.version, unfit[1]);
  if (released && !released.ok) {
    if (released.status === 'interrupted') return done('interrupted', 'AGENT_SHUTDOWN', null);
    const after = await deps.versions.refresh(app);
    return done(released.status, released.reason, after.version, released.detail);
  }
  // shutting down: no time for more commands; the host's state is reported as unknown
  if (result.aborted) return done('interrupted', 'AGENT_SHUTDOWN', null);
  if (result.spawnError || result.timedOut || result.exitCode !== 0) {
    const after = await deps.versions.refresh(app);
    if (result.spawnError)
      return done(
        'failed',
        'SPAWN_FAILED',
        after.version,
        `cannot start ${argv[0]}: ${result.spawnError}`,
      );
    if (result.timedOut) return done('timed-out', 'TIMEOUT', after.version);
    return done('failed', 'EXIT_NONZERO', after.version);
  }
  // the health gate runs before the version report: a version command that asks the
  // running service answers only once it is up, and the expectation is checked on that answer
  const check = app.healthCheck;
  const health = check
    ? await runHealthGate({
        check,
        cwd: app.cwd,
        env,
        signal,
        onLine,
        onSpawn: (pgid) => onSpawn(pgid, check.command[0]!),
      })
    : undefined;
  output.flush();
  if (health?.kind === 'aborted') return done('interrupted', 'AGENT_SHUTDOWN', null);
  // a release the gate refused is not left current: the one before is switched back
  const restored =
    health?.kind === 'failed' && releaseJob && released?.ok
      ? await switchBack(releaseJob, released.layout, released.previous)
      : undefined;
  if (releaseJob && released?.ok && health?.kind !== 'failed')
    pruneReleases(released.layout, releaseJob.release.keep);
  const after = await deps.versions.refresh(app);
  if (health?.kind === 'failed')
    return done(
      'failed',
      'HEALTH_CHECK_FAILED',
      after.version,
      restored ? `${health.detail}\n${restored}` : health.detail,
    );
  // the tag may have moved after it was signed: the signed expectation decides
  if (request.expect !== undefined && after.version !== request.expect)
    return done(
      'failed',
      'EXPECT_MISMATCH',
      after.version,
      `expected ${request.expect}, the version-report command printed ${after.version}`,
    );
  // a deploy whose result nobody can name is not a success: rollouts count it as a failure
  if (after.version === null)
    return done('failed', 'VERSION_UNKNOWN', null, `version report: ${after.error ?? 'no answer'}`);
  return done('succeeded', undefined, after.version);
}
