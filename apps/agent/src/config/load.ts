import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Envelope, Labels } from '@serfbort/core';
import { envelopeSchema, verifyInitialRoot } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { parse as parseYaml } from 'yaml';
import { explainIssue } from './issue.js';
import { fileSchema } from './schema.js';

export interface AppConfig {
  name: string;
  /** argv; `{version}` inside an element is replaced by the (validated) version */
  deploy?: string[];
  /** without it (a release app), the current release's version is the app's */
  version?: string[];
  release?: ReleaseConfig;
  healthCheck?: HealthCheckConfig;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  versionTimeoutMs: number;
}

/** An app deployed as verified, unpacked releases with a `current` link (apps/agent/src/releases). */
export interface ReleaseConfig {
  /** `{version}` replaced; http(s) URL or absolute path; without it the request's url is used */
  url?: string;
  /** absolute: holds `releases/` and the `current` link */
  dir: string;
  keep: number;
  before?: string[];
  after?: string[];
  hookTimeoutMs: number;
  fetchTimeoutMs: number;
  maxBytes: number;
}

/** Runs after a successful deploy command; the host succeeds only once it passes. */
export interface HealthCheckConfig {
  /** argv, no shell, no `{version}` substitution */
  command: string[];
  /** attempts after the first */
  retries: number;
  intervalMs: number;
  /** per attempt; its process group is killed after it */
  timeoutMs: number;
  startDelayMs: number;
}

export interface AgentConfig {
  hubs: string[];
  name: string;
  labels: Labels;
  /** the pinned root: a verified document, or the digest of the first root to accept */
  trust: { root?: Envelope; rootDigest?: string };
  stateDir: string;
  enrollmentToken?: string;
  apps: Record<string, AppConfig>;
  presenceIntervalMs: number;
  shutdownGraceMs: number;
  reconnectMaxMs: number;
  logLevel: string;
  /** the environment deploy commands start from: ours, minus SERFBORT_* (tokens live there) */
  childEnv: Record<string, string>;
  /** shifts the agent's clock (env SERFBORT_AGENT_CLOCK_OFFSET_MS): for tests of a skewed host */
  clockOffsetMs?: number;
}

/** A bad config: one field, one sentence. The CLI prints it and exits 2. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config: ${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Overrides from the command line; they win over the environment, which wins over the file. */
export interface ConfigFlags {
  hub?: string[];
  name?: string;
  labels?: string[];
  stateDir?: string;
  enrollmentToken?: string;
  rootFile?: string;
  rootFingerprint?: string;
  logLevel?: string;
}

export interface LoadOptions {
  /** path of the YAML file; defaults to env SERFBORT_AGENT_CONFIG */
  path?: string;
  /** an already-parsed file body (tests, embedding); relative paths resolve against `baseDir` */
  raw?: unknown;
  baseDir?: string;
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  /** `init` and `status` only need the local fields: hub and trust may be absent */
  localOnly?: boolean;
}

function readFile(path: string): unknown {
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      '--config',
      `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return parseYaml(body, { prettyErrors: true }) ?? {};
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigError(
      line ? `line ${line}` : path,
      `not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

function applyOverrides(
  file: Record<string, unknown>,
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const pick = <T>(flag: T | undefined, envValue: T | undefined, fileValue: unknown) =>
    flag ?? envValue ?? fileValue;
  const split = (s: string | undefined) =>
    s
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const trustFile = (file.trust ?? {}) as Record<string, unknown>;
  const root = pick(flags.rootFile, env.SERFBORT_TRUST_ROOT, trustFile.root);
  const fingerprint = pick(
    flags.rootFingerprint,
    env.SERFBORT_ROOT_FINGERPRINT,
    trustFile.rootFingerprint,
  );
  const trustDefined = root !== undefined || fingerprint !== undefined || file.trust !== undefined;
  const out: Record<string, unknown> = {
    ...file,
    hub: pick(flags.hub, split(env.SERFBORT_HUB), file.hub),
    name: pick(flags.name, env.SERFBORT_AGENT_NAME, file.name),
    labels: pick(flags.labels, split(env.SERFBORT_LABELS), file.labels),
    stateDir: pick(flags.stateDir, env.SERFBORT_STATE_DIR, file.stateDir),
    enrollmentToken: pick(
      flags.enrollmentToken,
      env.SERFBORT_ENROLLMENT_TOKEN,
      file.enrollmentToken,
    ),
    logLevel: pick(flags.logLevel, env.SERFBORT_LOG_LEVEL, file.logLevel),
  };
  if (trustDefined)
    out.trust = {
      ...trustFile,
      ...(root !== undefined ? { root } : {}),
      ...(fingerprint !== undefined ? { rootFingerprint: fingerprint } : {}),
    };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

function loadRoot(path: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(
      'trust.root',
      `cannot read a JSON root document from ${path} (${(e as NodeJS.ErrnoException).code ?? 'not JSON'})`,
    );
  }
  const verified = verifyInitialRoot(json, nodeVerifier);
  if (!verified.ok)
    throw new ConfigError(
      'trust.root',
      `${path} is not a valid root document (${verified.reason})`,
    );
  return envelopeSchema.parse(json);
}

function clockOffsetOf(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms))
    throw new ConfigError(
      'SERFBORT_AGENT_CLOCK_OFFSET_MS',
      `expected whole milliseconds, found ${raw}`,
    );
  return ms;
}

/** Flags > environment > file, validated in one place. Throws ConfigError naming the field. */
export function loadConfig(options: LoadOptions = {}): AgentConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? env.SERFBORT_AGENT_CONFIG;
  const fileBody = options.raw ?? (path ? readFile(path) : {});
  if (typeof fileBody !== 'object' || fileBody === null || Array.isArray(fileBody))
    throw new ConfigError(path ?? 'config', 'must be a mapping of fields');
  const baseDir = options.baseDir ?? (path ? dirname(resolve(path)) : process.cwd());
  const merged = applyOverrides(
    { name: hostname().toLowerCase(), ...(fileBody as Record<string, unknown>) },
    options.flags ?? {},
    env,
  );
  const schema = options.localOnly ? fileSchema.partial({ hub: true, trust: true }) : fileSchema;
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const { field, message } = explainIssue(parsed.error.issues[0]!);
    throw new ConfigError(field, message);
  }
  const c = parsed.data;
  const at = (p: string) => resolve(baseDir, p);
  const apps: Record<string, AppConfig> = {};
  for (const [name, a] of Object.entries(c.apps ?? {})) {
    apps[name] = {
      name,
      ...(a.deploy ? { deploy: a.deploy } : {}),
      ...(a.version ? { version: a.version } : {}),
      ...(a.release
        ? {
            release: {
              ...(a.release.url !== undefined ? { url: a.release.url } : {}),
              dir: at(a.release.dir),
              keep: a.release.keep,
              ...(a.release.before ? { before: a.release.before } : {}),
              ...(a.release.after ? { after: a.release.after } : {}),
              hookTimeoutMs: a.release.hookTimeout,
              fetchTimeoutMs: a.release.fetchTimeout,
              maxBytes: a.release.maxBytes,
            },
          }
        : {}),
      ...(a.healthCheck
        ? {
            healthCheck: {
              command: a.healthCheck.command,
              retries: a.healthCheck.retries,
              intervalMs: a.healthCheck.interval,
              timeoutMs: a.healthCheck.timeout,
              startDelayMs: a.healthCheck.startDelay,
            },
          }
        : {}),
      cwd: at(a.cwd ?? '.'),
      env: a.env ?? {},
      timeoutMs: a.timeout,
      versionTimeoutMs: a.versionTimeout,
    };
  }
  const childEnv = Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => !e[0].startsWith('SERFBORT_') && e[1] !== undefined,
    ),
  );
  const clockOffsetMs = clockOffsetOf(env.SERFBORT_AGENT_CLOCK_OFFSET_MS);
  return {
    ...(clockOffsetMs ? { clockOffsetMs } : {}),
    hubs: c.hub ?? [],
    name: c.name ?? hostname().toLowerCase(),
    labels: c.labels,
    trust: {
      ...(c.trust?.root !== undefined ? { root: loadRoot(at(c.trust.root)) } : {}),
      ...(c.trust?.rootFingerprint !== undefined ? { rootDigest: c.trust.rootFingerprint } : {}),
    },
    stateDir: at(c.stateDir),
    ...(c.enrollmentToken ? { enrollmentToken: c.enrollmentToken } : {}),
    apps,
    presenceIntervalMs: c.presenceInterval,
    shutdownGraceMs: c.shutdownGrace,
    reconnectMaxMs: c.reconnectMax,
    logLevel: c.logLevel ?? 'info',
    childEnv,
  };
}
