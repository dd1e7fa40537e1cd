import { formatDuration, parseDuration } from '@serfbort/client';
import { appName, hostName, LIMITS, labelKey, labelValue } from '@serfbort/core';
import { LOG_LEVELS } from '@serfbort/node';
import { z } from 'zod';

/**
 * YAML 1.2 reads `v: 1.10` as the number 1.1, so every value that ends up as text
 * (versions, labels, argv, env) must be a string in the file; the error says so.
 */
export const text = () =>
  z.string({
    error: (iss) =>
      iss.input === undefined
        ? 'is required'
        : typeof iss.input === 'number' || typeof iss.input === 'boolean'
          ? `must be a string, got ${String(iss.input)}: quote it`
          : `must be a string, got ${iss.input === null ? 'null' : typeof iss.input}`,
  });

const argv = () => z.array(text().min(1, 'must not be empty')).min(1, 'needs at least the program');

const DURATION_HINT = 'must be a duration like "10m", "90s", "500ms" or a number of seconds';

/** `allowZero` for delays that may be none; `maxMs` where an unbounded wait would stall a deploy. */
const duration = (fallbackMs: number, bounds: { allowZero?: boolean; maxMs?: number } = {}) =>
  z
    .union([z.string(), z.number()], { error: DURATION_HINT })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallbackMs;
      // the same grammar as the CLI's and the dashboard's; the bound is worded here, YAML-style
      const parsed = parseDuration(v, { minMs: bounds.allowZero ? 0 : 1 });
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: `${DURATION_HINT}, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      const ms = parsed.value;
      if (bounds.maxMs !== undefined && ms > bounds.maxMs) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${formatDuration(bounds.maxMs)}, got ${JSON.stringify(v)}`,
        });
        return z.NEVER;
      }
      return ms;
    });

const hubUrl = text().refine(
  (u) => /^(https?|wss?):\/\/[^\s]+$/.test(u),
  'must be an http(s):// or ws(s):// URL',
);

/** ["role=web", "canary"] or { role: web, canary: "" }: both become a label map. */
const labelsField = z
  .union([z.array(text()), z.record(z.string(), text())], {
    error: 'must be a list like ["role=web", "canary"] or a map',
  })
  .optional()
  .transform((value, ctx) => {
    const entries: [string, string][] = Array.isArray(value)
      ? value.map((l) => {
          const at = l.indexOf('=');
          return at < 0 ? [l, ''] : [l.slice(0, at), l.slice(at + 1)];
        })
      : Object.entries(value ?? {});
    if (entries.length > LIMITS.labelsPerHost)
      ctx.addIssue({ code: 'custom', message: `at most ${LIMITS.labelsPerHost} labels` });
    for (const [k, v] of entries) {
      if (!labelKey.safeParse(k).success)
        ctx.addIssue({ code: 'custom', path: [k], message: `'${k}' is not a valid label key` });
      else if (!labelValue.safeParse(v).success)
        ctx.addIssue({ code: 'custom', path: [k], message: `'${v}' is not a valid label value` });
    }
    return Object.fromEntries(entries) as Record<string, string>;
  });

/**
 * Bounds of a health check, so the worst case (every attempt hanging to its timeout)
 * still ends: 1 + retries attempts, each at most `timeout`, `interval` apart.
 */
export const HEALTH_CHECK_BOUNDS = {
  /** attempts after the first */
  maxRetries: 20,
  /** ms, per attempt */
  maxTimeoutMs: 5 * 60_000,
  /** ms, between attempts */
  maxIntervalMs: 5 * 60_000,
  /** ms, before the first attempt */
  maxStartDelayMs: 10 * 60_000,
} as const;

/** Defaults: three attempts two seconds apart, each given ten seconds, starting at once. */
const healthCheckObject = z.strictObject({
  command: argv(),
  retries: z
    .number({ error: 'must be a whole number of retries after the first attempt' })
    .int('must be a whole number of retries after the first attempt')
    .min(0, 'must be 0 or more')
    .max(HEALTH_CHECK_BOUNDS.maxRetries, `must be at most ${HEALTH_CHECK_BOUNDS.maxRetries}`)
    .default(2),
  interval: duration(2000, { allowZero: true, maxMs: HEALTH_CHECK_BOUNDS.maxIntervalMs }),
  timeout: duration(10_000, { maxMs: HEALTH_CHECK_BOUNDS.maxTimeoutMs }),
  startDelay: duration(0, { allowZero: true, maxMs: HEALTH_CHECK_BOUNDS.maxStartDelayMs }),
});

/** An argv list (the older form) is shorthand for `{ command: [...] }` with the defaults. */
const healthCheck = z
  .union([argv(), healthCheckObject], {
    error: 'must be an argv list or a mapping with command, retries, interval, timeout, startDelay',
  })
  .transform((h) => (Array.isArray(h) ? healthCheckObject.parse({ command: h }) : h));

/** Bounds of a release's fetch and hooks, so a deploy that fetches and unpacks still ends. */
export const RELEASE_BOUNDS = {
  maxKeep: 100,
  /** ms, per hook and per fetch */
  maxTimeoutMs: 60 * 60_000,
  /** bytes: 64 GiB */
  maxBytes: 64 * 1024 ** 3,
} as const;

/**
 * Releases: the agent fetches the signed artifact itself, verifies its digest, unpacks it
 * into `<dir>/releases/<version>-<digest prefix>/`, runs the hooks there and switches
 * `<dir>/current` to it.
 */
const releaseSchema = z.strictObject({
  /** `{version}` is replaced; http(s):// or an absolute local path. Without it, the request's url. */
  url: text()
    .refine(
      (u) => /^https?:\/\/\S+$/.test(u) || u.startsWith('/'),
      'must be an http(s):// URL or an absolute path, with {version} where the version goes',
    )
    .optional(),
  dir: text().min(1),
  keep: z
    .number({ error: 'must be a whole number of releases to keep' })
    .int('must be a whole number of releases to keep')
    .min(1, 'must keep at least the current release')
    .max(RELEASE_BOUNDS.maxKeep, `must be at most ${RELEASE_BOUNDS.maxKeep}`)
    .default(5),
  before: argv().optional(),
  after: argv().optional(),
  hookTimeout: duration(60_000, { maxMs: RELEASE_BOUNDS.maxTimeoutMs }),
  fetchTimeout: duration(5 * 60_000, { maxMs: RELEASE_BOUNDS.maxTimeoutMs }),
  maxBytes: z
    .number({ error: 'must be a whole number of bytes' })
    .int('must be a whole number of bytes')
    .min(1, 'must be at least 1 byte')
    .max(RELEASE_BOUNDS.maxBytes, `must be at most ${RELEASE_BOUNDS.maxBytes} bytes`)
    .default(1024 ** 3),
});

export const appSchema = z
  .strictObject({
    /** optional when the app deploys releases; then it runs for requests without an artifact */
    deploy: argv().optional(),
    /** optional with releases: then the current release's version is the app's version */
    version: argv().optional(),
    release: releaseSchema.optional(),
    healthCheck: healthCheck.optional(),
    cwd: text().optional(),
    env: z.record(z.string(), text()).optional(),
    timeout: duration(10 * 60_000),
    versionTimeout: duration(30_000),
  })
  .superRefine((a, ctx) => {
    if (a.deploy === undefined && a.release === undefined)
      ctx.addIssue({ code: 'custom', path: ['deploy'], message: 'is required (or a release)' });
    if (a.version === undefined && a.release === undefined)
      ctx.addIssue({ code: 'custom', path: ['version'], message: 'is required (or a release)' });
  });

export const fileSchema = z.strictObject({
  hub: z
    .union([hubUrl, z.array(hubUrl).min(1)], { error: 'must be a URL or a list of URLs' })
    .transform((h) => (Array.isArray(h) ? h : [h])),
  name: hostName.optional(),
  labels: labelsField,
  trust: z
    .strictObject({
      root: text().optional(),
      rootFingerprint: text()
        .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex characters of the root payload SHA-256')
        .transform((s) => s.toLowerCase())
        .optional(),
    })
    .refine(
      (t) => t.root !== undefined || t.rootFingerprint !== undefined,
      'needs root (a root document file) or rootFingerprint',
    ),
  stateDir: text().min(1),
  enrollmentToken: text()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16-128 characters of A-Z a-z 0-9 _ -')
    .optional(),
  apps: z
    .record(appName, appSchema)
    .optional()
    .refine(
      (a) => Object.keys(a ?? {}).length <= LIMITS.appsPerAgent,
      `at most ${LIMITS.appsPerAgent} apps`,
    ),
  presenceInterval: duration(60_000),
  shutdownGrace: duration(30_000),
  reconnectMax: duration(30_000),
  logLevel: z.enum(LOG_LEVELS).optional(),
});
export type FileConfig = z.input<typeof fileSchema>;
export type ParsedConfig = z.output<typeof fileSchema>;
