import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CliConfig, GlobalFlags } from './config/config.js';
import { loadConfig } from './config/config.js';
import { Output } from './output/output.js';

/** What every command action starts from: the merged configuration and the output channels. */
export interface Ctx {
  config: CliConfig;
  out: Output;
  now: () => number;
}

export function contextOf(cmd: CommandUnknownOpts, json = false): Ctx {
  const config = loadConfig(cmd.optsWithGlobals() as GlobalFlags);
  return { config, out: new Output(config, json), now: () => Date.now() };
}
