import type { Logger } from 'pino';
import pino from 'pino';

/**
 * Structured JSON logs. Tokens and keys never reach them: the enrollment token is
 * redacted wherever it appears, and keys are never logged at all.
 */
export function createLogger(options: { level: string; name: string; fd?: number }): Logger {
  return pino(
    {
      level: options.level,
      base: { host: options.name },
      redact: {
        paths: ['enrollmentToken', '*.enrollmentToken', 'token', '*.token', 'seed', '*.seed'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: options.fd ?? 1, sync: true }),
  );
}
