import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { WEBHOOK_EVENTS } from './webhook-events.js';

const SECRET_MIN = 16;

/** One receiver; the secret signs every body so the receiver can tell a post came from this hub. */
export const webhookEndpoint = z.strictObject({
  /** shown in the delivery log and metrics instead of the URL, which may itself be a secret */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits and _ . - only')
    .optional(),
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL'),
  secret: z.string().min(SECRET_MIN, `a webhook secret has at least ${SECRET_MIN} characters`),
  /** which events to post; all of them when left out */
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
});

export const webhooksSchema = z
  .strictObject({
    endpoints: z.array(webhookEndpoint).min(1).max(32),
    /** post `trust.expiring` when the root or keyring expires within this many days */
    trustExpiryDays: z.number().int().min(1).max(365).default(7),
    /** an agent must stay lost this long before `agent.lost` is posted (a hub restart is not news) */
    lostAfterMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /** `agent.pending` at most this often: a burst of new keys is one message, not hundreds */
    pendingEveryMs: z.number().int().min(0).max(86_400_000).default(60_000),
    /** ms between looks for new events and due deliveries */
    pollMs: z.number().int().min(50).max(60_000).default(2_000),
    /** first retry after this many ms, doubling each time (with jitter), at most an hour */
    retryBaseMs: z.number().int().min(10).max(3_600_000).default(5_000),
    /** posts per delivery before it is given up as failed */
    maxAttempts: z.number().int().min(1).max(20).default(8),
    /** ms one post may take */
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  })
  .superRefine((w, ctx) => {
    const names = w.endpoints.map(endpointName);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice)
      ctx.addIssue({
        code: 'custom',
        path: ['endpoints'],
        message: `two endpoints are named ${twice}: give each a distinct name`,
      });
  });

export type WebhooksConfig = z.output<typeof webhooksSchema>;
export type WebhookEndpoint = z.output<typeof webhookEndpoint>;

/** The name a delivery is logged under: the configured one, else the URL's host. */
export function endpointName(e: { name?: string | undefined; url: string }): string {
  if (e.name) return e.name;
  try {
    return new URL(e.url).host;
  } catch {
    return 'invalid-url';
  }
}

/**
 * The file an operator writes (JSON): secrets may be given inline, or as `secretEnv`
 * (a variable's name) or `secretFile` (a path), so the file itself can be shared.
 */
const fileEndpoint = z.strictObject({
  name: z.string().optional(),
  url: z.string(),
  secret: z.string().optional(),
  secretEnv: z.string().optional(),
  secretFile: z.string().optional(),
  events: z.array(z.string()).optional(),
});
const fileSchema = z
  .object({ endpoints: z.array(fileEndpoint) })
  .passthrough()
  .transform((f) => f as Record<string, unknown> & { endpoints: z.infer<typeof fileEndpoint>[] });

function secretOf(e: z.infer<typeof fileEndpoint>, env: NodeJS.ProcessEnv, i: number): string {
  const given = [e.secret, e.secretEnv, e.secretFile].filter((s) => s !== undefined).length;
  if (given !== 1)
    throw new Error(`webhooks: endpoints[${i}]: give exactly one of secret, secretEnv, secretFile`);
  if (e.secret !== undefined) return e.secret;
  if (e.secretEnv !== undefined) {
    const value = env[e.secretEnv];
    if (!value) throw new Error(`webhooks: endpoints[${i}]: ${e.secretEnv} is not set`);
    return value;
  }
  try {
    return readFileSync(e.secretFile!, 'utf8').split('\n')[0]!.trim();
  } catch (err) {
    throw new Error(
      `webhooks: endpoints[${i}]: cannot read ${e.secretFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** Reads the webhooks file; errors name the field, never a secret. */
export function loadWebhooksFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): z.input<typeof webhooksSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `webhooks: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`webhooks: ${path} is not JSON`);
  }
  return resolveWebhooks(json, env, path);
}

/** The webhooks document (from its own file or inline in the hub's config), secrets read. */
export function resolveWebhooks(
  json: unknown,
  env: NodeJS.ProcessEnv,
  where: string,
): z.input<typeof webhooksSchema> {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`webhooks: ${where}: expected {"endpoints": [{"url": …, "secretEnv": …}]}`);
  const { endpoints, ...rest } = parsed.data;
  return {
    ...(rest as object),
    endpoints: endpoints.map((e, i) => {
      const { secretEnv: _env, secretFile: _file, ...kept } = e;
      return { ...kept, secret: secretOf(e, env, i) } as WebhookEndpoint;
    }),
  } as z.input<typeof webhooksSchema>;
}
