import { readFileSync } from 'node:fs';

/**
 * Where the PostgreSQL URL comes from. Never the command line: a URL there carries its
 * password into `ps`, shell history and process listings of every user on the machine.
 */
export const DATABASE_URL_SOURCES =
  'set DATABASE_URL in the environment, or put the URL in a file readable only by the hub and pass --database-url-file <file> (or DATABASE_URL_FILE)';

export function refuseDatabaseUrlFlag(value: string | undefined): void {
  if (value !== undefined)
    throw new Error(
      `--database-url is not accepted on the command line (it would show the credentials in ps): ${DATABASE_URL_SOURCES}`,
    );
}

/** The URL from a file (first line, trimmed), else from DATABASE_URL; undefined = embedded database. */
export function databaseUrlFrom(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const path = file ?? env.DATABASE_URL_FILE;
  if (path === undefined || path === '') return env.DATABASE_URL || undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
    throw new Error(`hub configuration: database URL file ${path}: ${why}`);
  }
  const url = text.split('\n')[0]?.trim() ?? '';
  if (url === '') throw new Error(`hub configuration: database URL file ${path} is empty`);
  return url;
}
