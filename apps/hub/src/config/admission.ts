import { z } from 'zod';

/**
 * What a source address may cost the hub before anyone vouched for it: new connections,
 * hellos from keys nobody approved, and rows in the pending-approval list. Approved
 * agents and valid enrollment tokens never draw on the hello bucket or the pending caps.
 */
export const ADMISSION_DEFAULTS = {
  /** new Socket.IO connections per second per source address, sustained, and at once */
  connectionsPerSecond: 20,
  connectionBurst: 200,
  /** hellos per second from keys that are not approved, per source address, and at once */
  unknownHellosPerSecond: 1,
  unknownHelloBurst: 20,
  /** keys awaiting approval per source address; beyond it the oldest of that address goes */
  pendingPerAddress: 50,
  /** keys awaiting approval in all; beyond it the oldest of all goes */
  pendingTotal: 10_000,
  /** ms a pending key that stopped saying hello is kept (one hour) */
  pendingTtlMs: 60 * 60 * 1000,
};

export const admissionSchema = z.strictObject({
  connectionsPerSecond: z.number().positive().default(ADMISSION_DEFAULTS.connectionsPerSecond),
  connectionBurst: z.number().int().min(1).default(ADMISSION_DEFAULTS.connectionBurst),
  unknownHellosPerSecond: z.number().positive().default(ADMISSION_DEFAULTS.unknownHellosPerSecond),
  unknownHelloBurst: z.number().int().min(1).default(ADMISSION_DEFAULTS.unknownHelloBurst),
  pendingPerAddress: z.number().int().min(1).default(ADMISSION_DEFAULTS.pendingPerAddress),
  pendingTotal: z.number().int().min(1).max(1_000_000).default(ADMISSION_DEFAULTS.pendingTotal),
  pendingTtlMs: z
    .number()
    .int()
    .min(1_000)
    .max(30 * 24 * 60 * 60 * 1000)
    .default(ADMISSION_DEFAULTS.pendingTtlMs),
});

export type AdmissionConfig = z.output<typeof admissionSchema>;

/** Environment variables, each naming one admission bound (read by env.ts). */
export const ADMISSION_ENV: Record<keyof AdmissionConfig, string> = {
  connectionsPerSecond: 'SERFBORT_HUB_CONNECTIONS_PER_SECOND',
  connectionBurst: 'SERFBORT_HUB_CONNECTION_BURST',
  unknownHellosPerSecond: 'SERFBORT_HUB_UNKNOWN_HELLOS_PER_SECOND',
  unknownHelloBurst: 'SERFBORT_HUB_UNKNOWN_HELLO_BURST',
  pendingPerAddress: 'SERFBORT_HUB_PENDING_PER_ADDRESS',
  pendingTotal: 'SERFBORT_HUB_PENDING_TOTAL',
  pendingTtlMs: 'SERFBORT_HUB_PENDING_TTL_MS',
};

/** The admission bounds set in the environment, as numbers for the schema to validate. */
export function admissionFromEnv(env: NodeJS.ProcessEnv): Partial<AdmissionConfig> | undefined {
  const set = Object.entries(ADMISSION_ENV).flatMap(([key, name]) =>
    env[name] === undefined ? [] : [[key, Number(env[name])] as const],
  );
  return set.length === 0 ? undefined : Object.fromEntries(set);
}
