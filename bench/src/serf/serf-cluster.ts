import type { ChildProcess } from 'node:child_process';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnTracked, stopChild } from '../common/children.js';
import { freePort } from '../common/free-port.js';
import { pollUntil } from '../common/wait.js';

const run = promisify(execFile);

export interface SerfCluster {
  n: number;
  rpcAddr: string;
  version: string;
  close(): Promise<void>;
}

/** Debian's `serf` package; installed on demand (the package is in the apt cache here). */
export function ensureSerf(): string {
  const found = () => {
    try {
      return execFileSync('serf', ['version'], { encoding: 'utf8' }).split('\n')[0] ?? 'serf';
    } catch {
      return undefined;
    }
  };
  const version = found();
  if (version) return version;
  console.log('bench: installing Debian package serf (apt-get install -y serf)');
  execFileSync('apt-get', ['install', '-y', 'serf'], { stdio: 'ignore', timeout: 120_000 });
  const installed = found();
  if (!installed) throw new Error('serf is not installed and apt-get could not install it');
  return installed;
}

/** The number of members that every agent... well, that agent 0 sees as alive. */
async function aliveMembers(rpcAddr: string): Promise<number> {
  try {
    const { stdout } = await run('serf', ['members', `-rpc-addr=${rpcAddr}`, '-status=alive'], {
      timeout: 5000,
    });
    return stdout.split('\n').filter((l) => l.trim()).length;
  } catch {
    return 0;
  }
}

/**
 * N serf agents on 127.0.0.1, each with a `version` query handler that prints a
 * version (as serfbort's agents run their version-report command), all joined.
 */
export async function startSerfCluster(n: number, version: string): Promise<SerfCluster> {
  const serfVersion = ensureSerf();
  const dir = mkdtempSync(join(tmpdir(), 'serfbort-bench-serf-'));
  const handler = join(dir, 'version.sh');
  writeFileSync(handler, `#!/bin/sh\necho ${version}\n`);
  chmodSync(handler, 0o755);
  const agents: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(agents.map((a) => stopChild(a, 2000)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let seed = '';
    let rpcAddr = '';
    for (let i = 0; i < n; i++) {
      const bind = `127.0.0.1:${await freePort()}`;
      const rpc = `127.0.0.1:${await freePort()}`;
      const args = [
        'agent',
        `-node=serf-${i}`,
        `-bind=${bind}`,
        `-rpc-addr=${rpc}`,
        `-event-handler=query:version=${handler}`,
        '-log-level=err',
      ];
      if (seed) args.push(`-join=${seed}`);
      const agent = spawnTracked('serf', args, { stdio: 'ignore' });
      agents.push(agent);
      if (i === 0) {
        seed = bind;
        rpcAddr = rpc;
        // the seed must be listening before the others join it
        await pollUntil(async () => (await aliveMembers(rpc)) === 1, 15_000, 'serf seed agent');
      }
    }
    await pollUntil(
      async () => (await aliveMembers(rpcAddr)) === n,
      30_000 + n * 300,
      `${n} serf members alive`,
      500,
    );
    return { n, rpcAddr, version: serfVersion, close };
  } catch (error) {
    await close();
    throw error;
  }
}
