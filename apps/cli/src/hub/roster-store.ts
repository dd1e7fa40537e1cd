import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Roster } from '@serfbort/client';
import { emptyRoster, parseRoster, serializeRoster } from '@serfbort/client';
import { sha256Hex } from '@serfbort/core';
import { writeFileAtomic } from '@serfbort/node';
import type { CliConfig } from '../config/config.js';
import { CliError, EXIT } from '../errors.js';

/**
 * One file per hub id under the config directory. The id is the hub's word, so it never
 * becomes a path as it is: a safe id keeps its name (readable), any other is hashed.
 */
export function hubFileName(hubId: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(hubId)
    ? hubId
    : `sha256-${sha256Hex(hubId).slice(0, 32)}`;
}

export function rosterPath(config: CliConfig, hubId: string): string {
  return join(config.configDir, 'roster', `${hubFileName(hubId)}.json`);
}

/** The roster for this hub; a new one when none is stored; a damaged one stops the command. */
export function loadRoster(config: CliConfig, hubId: string): Roster {
  const path = rosterPath(config, hubId);
  if (!existsSync(path)) return emptyRoster(hubId);
  const read = parseRoster(readFileSync(path, 'utf8'), hubId);
  if (read.ok) return read.roster;
  // starting over would forget every host the hub could then hide: a person decides
  throw new CliError(
    EXIT.hosts,
    'ROSTER_DAMAGED',
    `the roster ${path} is damaged (${read.detail}); restore it from a backup, or move it away to start a new one (every host is then learned again from the hub)`,
  );
}

export function saveRoster(config: CliConfig, roster: Roster): void {
  const path = rosterPath(config, roster.hubId);
  mkdirSync(join(config.configDir, 'roster'), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, serializeRoster(roster), 0o600);
}

const indexPath = (config: CliConfig) => join(config.configDir, 'roster', 'hubs.json');

function readIndex(config: CliConfig): Record<string, string> {
  const path = indexPath(config);
  if (!existsSync(path)) return {};
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value))
      return Object.fromEntries(
        Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
  } catch {
    // fall through: a damaged index only loses the URL → id memory, never a roster
  }
  return {};
}

/**
 * The roster a hub at this URL is held to: the one of the id first seen there. A hub
 * that starts calling itself something else would otherwise get an empty roster, and
 * with it the power to hide every host again.
 */
export function rosterIdFor(
  config: CliConfig,
  url: string,
  hubId: string,
  remember: boolean,
): { id: string; changedFrom?: string } {
  const index = readIndex(config);
  const held = index[url];
  if (held !== undefined && held !== hubId) return { id: held, changedFrom: held };
  if (held === undefined && remember) {
    mkdirSync(join(config.configDir, 'roster'), { recursive: true, mode: 0o700 });
    writeFileAtomic(indexPath(config), `${JSON.stringify({ ...index, [url]: hubId }, null, 2)}\n`);
  }
  return { id: hubId };
}
