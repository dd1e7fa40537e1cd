import { hostname } from 'node:os';
import { LOG_LEVELS } from '@serfbort/node';
import { z } from 'zod';
import { ADMISSION_DEFAULTS, admissionSchema } from './admission.js';
import { webhooksSchema } from './webhooks.js';

export const DEFAULT_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000'];

/** Everything a hub needs; startHub() takes this, the CLI builds it from flags and env. */
export const hubConfigSchema = z
  .strictObject({
    /** 0 picks a free port */
    port: z.number().int().min(0).max(65535).default(7700),
    host: z.string().min(1).default('127.0.0.1'),
    /** embedded PGlite lives here unless databaseUrl is set */
    dataDir: z.string().min(1).optional(),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
      .optional(),
    /** dashboard origins allowed by CORS and on the WebSocket handshake */
    origins: z.array(z.string().url()).default(DEFAULT_ORIGINS),
    tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
    /** read-only access for people who only watch */
    viewerToken: z.string().min(16, 'a viewer token has at least 16 characters').optional(),
    /** the hub's id agents sign into their hello; by default made once and kept in the database */
    hubId: z.string().min(1).max(128).optional(),
    /** this process's name among hubs sharing one database */
    nodeName: z.string().min(1).max(128).default(`${hostname()}-${process.pid}`),
    logLevel: z.enum(LOG_LEVELS).default('warn'),
    /** cluster mode: Socket.IO fan-out between hubs sharing one PostgreSQL database */
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// URL')
      .optional(),
    /** Redis stream and channel prefix: hubs of one fleet share it, other fleets (or tests) use their own */
    redisPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - only')
      .default('serfbort'),
    /** ms between this node's heartbeats in cluster mode; a node silent for 3 beats is dead */
    heartbeatMs: z.number().int().min(100).max(60_000).default(5_000),
    /** ms an unauthenticated socket may stay connected */
    authTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** ms to wait for a deploy:request acknowledgement */
    relayAckTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** largest Socket.IO message in bytes */
    maxMessageBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    /** per-socket token bucket: sustained events per second and burst */
    rateLimit: z
      .strictObject({
        perSecond: z.number().positive().default(50),
        burst: z.number().positive().default(200),
      })
      .default({ perSecond: 50, burst: 200 }),
    /** admission before approval: what one source address may cost the hub (see admission.ts) */
    admission: admissionSchema.default(ADMISSION_DEFAULTS),
    /** JSON posts to people's tools when something needs them (webhooks/) */
    webhooks: webhooksSchema.optional(),
  })
  .refine(
    (c) => c.dataDir !== undefined || c.databaseUrl !== undefined,
    'set a data directory or a database URL',
  )
  .refine(
    (c) => c.redisUrl === undefined || c.databaseUrl !== undefined,
    'several hubs (a Redis URL) share PostgreSQL: set a database URL too',
  );

export type HubConfigInput = z.input<typeof hubConfigSchema>;
export type HubConfig = z.output<typeof hubConfigSchema>;

export function parseHubConfig(input: HubConfigInput): HubConfig {
  const parsed = hubConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`hub configuration: ${issue?.path.join('.') || 'config'}: ${issue?.message}`);
  }
  return parsed.data;
}
