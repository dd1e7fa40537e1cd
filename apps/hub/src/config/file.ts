import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { admissionSchema } from './admission.js';

/**
 * The hub's config file (YAML or JSON; `--config` or SERFBORT_HUB_CONFIG). Flags and the
 * environment win over it. Secrets are not written in it but named: `databaseUrlFile`,
 * `viewerTokenFile`, and webhook `secretEnv`/`secretFile` — so the file can be kept in a
 * repository and shown in a review.
 */
export const hubFileSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  dataDir: z.string().min(1).optional(),
  databaseUrlFile: z.string().min(1).optional(),
  origins: z.array(z.string()).optional(),
  tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  viewerTokenFile: z.string().min(1).optional(),
  hubId: z.string().min(1).optional(),
  nodeName: z.string().min(1).optional(),
  logLevel: z.string().optional(),
  redisUrlFile: z.string().min(1).optional(),
  redisPrefix: z.string().optional(),
  heartbeatMs: z.number().int().optional(),
  admission: admissionSchema.partial().optional(),
  /** the webhooks file's content, inline */
  webhooks: z.unknown().optional(),
  /** or a path to it */
  webhooksFile: z.string().min(1).optional(),
});
export type HubFile = z.infer<typeof hubFileSchema>;

/** First line of a file, trimmed: how every secret the config names is read. */
export function firstLineOf(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
    throw new Error(`hub configuration: ${what} file ${path}: ${why}`);
  }
  const line = text.split('\n')[0]?.trim() ?? '';
  if (line === '') throw new Error(`hub configuration: ${what} file ${path} is empty`);
  return line;
}

export function loadHubFile(path: string): HubFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
    throw new Error(`hub configuration: ${path}: ${why}`);
  }
  let doc: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both
    doc = parse(text) ?? {};
  } catch (e) {
    throw new Error(
      `hub configuration: ${path} is not YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : ''}`,
    );
  }
  const parsed = hubFileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `hub configuration: ${path}: ${issue?.path.join('.') || 'file'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
