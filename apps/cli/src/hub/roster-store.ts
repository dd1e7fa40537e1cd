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
export function rosterPath(config: CliConfig, hubId: string): string {
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(hubId)
    ? hubId
    : `sha256-${sha256Hex(hubId).slice(0, 32)}`;
  return join(config.configDir, 'roster', `${name}.json`);
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
