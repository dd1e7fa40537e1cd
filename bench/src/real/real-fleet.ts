import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope, KeyPair } from '@serfbort/core';
import { PAYLOAD_TYPES, sha256Hex, signPayload } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { spawnTracked, stopChild } from '../common/children.js';
import { call, type OperatorSocket } from '../operator/operator-session.js';

/** The workspace's agent bundle, unless --agent-bundle names another build. */
export let AGENT_BUNDLE = fileURLToPath(
  new URL('../../../apps/agent/dist/serfbort-agent.mjs', import.meta.url),
);

export function useAgentBundle(path: string): void {
  AGENT_BUNDLE = path;
}

/** The trivial deploy step: record the version where the version command reads it. */
const DEPLOY_SCRIPT = `#!/bin/sh\nprintf '%s\\n' "$1" > VERSION\n`;

export const realName = (i: number) => `real-${String(i).padStart(3, '0')}`;
export const REAL_SELECTOR = 'role=real';

export interface RealFleet {
  agents: ChildProcess[];
  close(): Promise<void>;
}

/**
 * N real `serfbort-agent run` processes (the bundle), each with its own state dir,
 * a trivial deploy script and `cat VERSION` as its version-report command (as
 * Serf's handler echoes a version). Each enrolls with a one-time token from an
 * operator-signed grant.
 */
export async function startRealFleet(s: {
  n: number;
  dir: string;
  hubUrl: string;
  root: Envelope;
  operator: OperatorSocket;
  operatorKey: KeyPair;
  version: string;
}): Promise<RealFleet> {
  if (!existsSync(AGENT_BUNDLE))
    throw new Error(`no agent bundle at ${AGENT_BUNDLE}: run "npm run build" first`);
  const rootFile = join(s.dir, 'root.json');
  writeFileSync(rootFile, JSON.stringify(s.root));
  const agents: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(agents.map((a) => stopChild(a, 5000)));
  };
  try {
    for (let i = 0; i < s.n; i++) {
      const name = realName(i);
      const home = join(s.dir, name);
      const app = join(home, 'app');
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'deploy.sh'), DEPLOY_SCRIPT);
      chmodSync(join(app, 'deploy.sh'), 0o755);
      writeFileSync(join(app, 'VERSION'), `${s.version}\n`);
      const token = randomBytes(24).toString('base64url');
      const now = Date.now();
      const grant = signPayload(
        PAYLOAD_TYPES.enrollmentGrant,
        {
          type: 'enrollment-grant',
          tokenHash: sha256Hex(token),
          host: name,
          issuedAt: now,
          expiresAt: now + 60 * 60 * 1000,
        },
        [nodeSigner(s.operatorKey)],
      );
      await call(s.operator, 'agents:grant', [grant]);
      // JSON is YAML 1.2, and every value is a string where the agent wants one
      const config = {
        hub: s.hubUrl,
        name,
        labels: { role: 'real', idx: String(i) },
        trust: { root: rootFile },
        stateDir: join(home, 'state'),
        enrollmentToken: token,
        reconnectMax: '5s',
        logLevel: 'warn',
        apps: {
          web: {
            deploy: ['./deploy.sh', '{version}'],
            version: ['cat', 'VERSION'],
            cwd: app,
            timeout: '60s',
          },
        },
      };
      const configPath = join(home, 'agent.yaml');
      writeFileSync(configPath, JSON.stringify(config, null, 2));
      agents.push(
        spawnTracked(process.execPath, [AGENT_BUNDLE, 'run', '--config', configPath], {
          stdio: ['ignore', 'ignore', 'inherit'],
          detached: false,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
        }),
      );
    }
    return { agents, close };
  } catch (error) {
    await close();
    throw error;
  }
}
