import { readFileSync } from 'node:fs';
import type { CliConfig } from '../config/config.js';
import { usageError } from '../errors.js';
import { readLine } from '../prompt/tty-input.js';

type PassphraseSource = Pick<CliConfig, 'passphraseFromEnv' | 'passphraseFile' | 'interactive'>;

function fromFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError('PASSPHRASE_FILE_UNREADABLE', `cannot read the passphrase file ${path}`);
  }
  // one trailing newline is how editors and `echo` end files; it is not part of the passphrase
  return text.replace(/\r?\n$/, '');
}

/**
 * The passphrase for one key: --passphrase-file, else SERFBORT_PASSPHRASE, else a prompt
 * without echo. Non-interactive runs without either are refused rather than hanging.
 */
export async function passphraseFor(
  config: PassphraseSource,
  label: string,
  options: { repeat?: boolean } = {},
): Promise<string> {
  if (config.passphraseFile !== undefined) return fromFile(config.passphraseFile);
  if (config.passphraseFromEnv !== undefined) return config.passphraseFromEnv;
  if (!config.interactive) {
    throw usageError(
      'PASSPHRASE_REQUIRED',
      `a passphrase is needed for ${label}: no terminal to ask on; set SERFBORT_PASSPHRASE or pass --passphrase-file`,
    );
  }
  const first = await readLine(`Passphrase for ${label}: `, true);
  if (options.repeat) {
    const second = await readLine('Repeat the passphrase: ', true);
    if (first !== second) throw usageError('PASSPHRASE_MISMATCH', 'the two passphrases differ');
  }
  return first;
}
