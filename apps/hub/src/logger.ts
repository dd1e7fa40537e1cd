import type { Logger } from 'pino';
import pino from 'pino';

/** Fields that must never reach a log line, wherever they appear. */
export const REDACT_PATHS = [
  'viewerToken',
  '*.viewerToken',
  'enrollmentToken',
  '*.enrollmentToken',
  '*.*.enrollmentToken',
  'token',
  '*.token',
  'databaseUrl',
  '*.databaseUrl',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'key',
  '*.key',
  'seed',
  '*.seed',
  'passphrase',
  '*.passphrase',
];

export function createLogger(
  level: string,
  base: Record<string, unknown>,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.epochTime,
    },
    destination,
  );
}
