import { appName, hostName, LIMITS, labelKey, labelValue } from '@serfbort/core';
import { z } from 'zod';
import { parseDuration } from './duration.js';

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

const duration = (fallbackMs: number) =>
  z
    .union([z.string(), z.number()], {
      error: 'must be a duration like "10m", "90s" or a number of seconds',
    })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallbackMs;
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a duration like "10m", "90s" or a number of seconds, got ${JSON.stringify(v)}`,
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

export const appSchema = z.strictObject({
  deploy: argv(),
  version: argv(),
  healthCheck: argv().optional(),
  cwd: text().optional(),
  env: z.record(z.string(), text()).optional(),
  timeout: duration(10 * 60_000),
  versionTimeout: duration(30_000),
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
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});
export type FileConfig = z.input<typeof fileSchema>;
export type ParsedConfig = z.output<typeof fileSchema>;
