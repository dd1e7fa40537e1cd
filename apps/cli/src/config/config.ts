import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { usageError } from '../errors.js';

/**
 * The one place that reads the environment, global flags and the config file.
 * Precedence: flag > environment > config file > default.
 */
export interface GlobalFlags {
  hub?: string;
  key?: string;
  root?: string;
  passphraseFile?: string;
  viewerTokenFile?: string;
  color?: boolean;
}

export interface CliConfig {
  /** hub URLs in the order to try */
  hubs: string[];
  keyPath: string;
  /** pinned root document (the trust anchor); absent = not pinned */
  rootPath: string | undefined;
  passphraseFromEnv: string | undefined;
  passphraseFile: string | undefined;
  /** colours on stdout / stderr */
  colorOut: boolean;
  colorErr: boolean;
  /** a person can answer prompts */
  interactive: boolean;
  /** testing only: a cheaper scrypt for new key files (SERFBORT_SCRYPT_LOG_N) */
  scrypt: { N: number; r: number; p: number } | undefined;
  configDir: string;
  /**
   * The hub's viewer token: read-only commands log in with it instead of a key, so people
   * who only watch need no signing key (every answer is still verified here).
   */
  viewerToken: string | undefined;
}

interface FileConfig {
  hub?: string | string[];
  key?: string;
  root?: string;
  viewerTokenFile?: string;
}

const DEFAULT_HUB = 'http://127.0.0.1:7700';

function readConfigFile(path: string, explicit: boolean): FileConfig {
  if (!existsSync(path)) {
    if (explicit) throw usageError('CONFIG_NOT_FOUND', `config file ${path} does not exist`);
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw usageError('CONFIG_INVALID', `config file ${path} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError('CONFIG_INVALID', `config file ${path}: expected an object`);
  }
  const out: FileConfig = {};
  for (const [k, v] of Object.entries(value)) {
    const isText = typeof v === 'string';
    const isTextList = Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (k === 'hub' && (isText || isTextList)) out.hub = v as string | string[];
    else if ((k === 'key' || k === 'root' || k === 'viewerTokenFile') && isText)
      out[k] = v as string;
    else
      throw usageError(
        'CONFIG_INVALID',
        `config file ${path}: unknown or mistyped field '${k}' (expected hub, key, root, viewerTokenFile as strings)`,
      );
  }
  return out;
}

export function parseHubList(text: string | string[]): string[] {
  const list = (Array.isArray(text) ? text : text.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const url of list) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw usageError(
        'BAD_HUB_URL',
        `hub URL '${url}' is not a URL (expected e.g. ${DEFAULT_HUB})`,
      );
    }
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) {
      throw usageError(
        'BAD_HUB_URL',
        `hub URL '${url}': expected http(s) or ws(s), found ${parsed.protocol}`,
      );
    }
  }
  if (list.length === 0) throw usageError('BAD_HUB_URL', 'no hub URL given');
  return list;
}

function colorWanted(env: NodeJS.ProcessEnv, flag: boolean | undefined, isTty: boolean): boolean {
  // picocolors alone would colour in CI; the rules here: TTY only, never with NO_COLOR
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTty;
}

function scryptFromEnv(text: string | undefined): CliConfig['scrypt'] {
  if (text === undefined || text === '') return undefined;
  const logN = Number(text);
  if (!Number.isInteger(logN) || logN < 1 || logN > 20) {
    throw usageError(
      'CONFIG_INVALID',
      `SERFBORT_SCRYPT_LOG_N: expected an integer 1..20, found '${text}'`,
    );
  }
  return { N: 2 ** logN, r: 8, p: 1 };
}

/**
 * The CLI's directory: $XDG_CONFIG_HOME/serfbort, else ~/.config/serfbort. The XDG base
 * directory spec says a relative XDG_CONFIG_HOME is invalid and to be ignored.
 */
export function configDirOf(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  return xdg !== undefined && isAbsolute(xdg)
    ? join(xdg, 'serfbort')
    : join(home, '.config', 'serfbort');
}

/** `~/x` in a config file or flag means the home directory, as in a shell. */
function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export function loadConfig(flags: GlobalFlags, rawEnv: NodeJS.ProcessEnv = process.env): CliConfig {
  // an empty variable means "not set", as shells and CI templates produce them
  const env = Object.fromEntries(
    Object.entries(rawEnv).filter(([, v]) => v !== ''),
  ) as NodeJS.ProcessEnv;
  const home = homedir();
  const configDir = configDirOf(env, home);
  const explicitFile = env.SERFBORT_CONFIG;
  const file = readConfigFile(
    explicitFile ?? join(configDir, 'config.json'),
    explicitFile !== undefined,
  );
  const defaultRoot = join(configDir, 'root.json');
  const rootPath =
    flags.root ??
    env.SERFBORT_ROOT ??
    file.root ??
    (existsSync(defaultRoot) ? defaultRoot : undefined);
  const keyPath = flags.key ?? env.SERFBORT_KEY ?? file.key ?? join(configDir, 'operator.key.json');
  return {
    hubs: parseHubList(flags.hub ?? env.SERFBORT_HUB ?? file.hub ?? DEFAULT_HUB),
    keyPath: resolve(expandHome(keyPath, home)),
    rootPath: rootPath === undefined ? undefined : resolve(expandHome(rootPath, home)),
    passphraseFromEnv: env.SERFBORT_PASSPHRASE,
    passphraseFile: flags.passphraseFile,
    colorOut: colorWanted(env, flags.color, process.stdout.isTTY === true),
    colorErr: colorWanted(env, flags.color, process.stderr.isTTY === true),
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    scrypt: scryptFromEnv(env.SERFBORT_SCRYPT_LOG_N),
    configDir,
    viewerToken: viewerTokenFrom(flags.viewerTokenFile ?? file.viewerTokenFile, env, home),
  };
}

/** Never a flag's value (it would show in ps): the environment, or the first line of a file. */
function viewerTokenFrom(
  path: string | undefined,
  env: NodeJS.ProcessEnv,
  home: string,
): string | undefined {
  if (env.SERFBORT_VIEWER_TOKEN) return env.SERFBORT_VIEWER_TOKEN;
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(expandHome(path, home), 'utf8');
  } catch {
    throw usageError('CONFIG_INVALID', `viewer token file ${path} cannot be read`);
  }
  const token = text.split('\n')[0]?.trim();
  if (!token) throw usageError('CONFIG_INVALID', `viewer token file ${path} is empty`);
  return token;
}

/** SERFBORT_DEBUG=1 prints stack traces of unexpected errors (never shown otherwise). */
export const debugEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.SERFBORT_DEBUG === '1';
