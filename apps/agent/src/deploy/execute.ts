import type { DeployProgress, DeployRequest, Receipt, RunCode } from '@serfbort/core';
import type { AgentConfig } from '../config/load.js';
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

export type ReceiptFields = Omit<Receipt, 'type'>;

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
  const argv = app.deploy.map((arg) => arg.replaceAll('{version}', request.version));
  const result = await runCommand({
    argv,
    cwd: app.cwd,
    env,
    timeoutMs: app.timeoutMs,
    signal,
    onLine: (stream, text) => output.push(stream, text),
    onSpawn: (pgid) =>
      deps.journalStart({ startedAt, versionBefore: before.version, pgid, program: argv[0]! }),
  });
  output.flush();
  const base = {
    requestId: request.id,
    requestDigest: digest,
    host: deps.config.name,
    app: app.name,
    version: request.version,
    versionBefore: before.version,
    startedAt,
    exitCode: exitCodeOf(result.exitCode),
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
        onLine: (stream, text) => output.push(stream, text),
        onSpawn: (pgid) =>
          deps.journalStart({
            startedAt,
            versionBefore: before.version,
            pgid,
            program: check.command[0]!,
          }),
      })
    : undefined;
  output.flush();
  if (health?.kind === 'aborted') return done('interrupted', 'AGENT_SHUTDOWN', null);
  const after = await deps.versions.refresh(app);
  if (health?.kind === 'failed')
    return done('failed', 'HEALTH_CHECK_FAILED', after.version, health.detail);
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
