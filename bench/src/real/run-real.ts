import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentKeyRecord, CheckResult, HostView } from '@serfbort/core';
import {
  trustedAgentKeys,
  verifyCheckAnswer,
  verifyInitialRoot,
  verifyKeyring,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { freePort } from '../common/free-port.js';
import { rssBytes } from '../common/proc-stats.js';
import { type Summary, summarize } from '../common/stats.js';
import { pollUntil, sleep } from '../common/wait.js';
import { freshHubDataDir } from '../hub/data-dir.js';
import { type HubProcess, startHubProcess } from '../hub/hub-process.js';
import { call, connectOperator, publishTrust } from '../operator/operator-session.js';
import { timeDeploy } from '../operator/time-deploy.js';
import { benchTrust } from '../sim/trust-setup.js';
import { REAL_SELECTOR, startRealFleet } from './real-fleet.js';

export interface RealResult {
  n: number;
  /** agent processes spawned → every one authenticated and online at the hub */
  startMs: number;
  /** check:run on an operator socket → every signed answer in and verified */
  checkMs: Summary;
  /** signed deploy → every signed receipt stored (the deploy runs a real script) */
  deployMs: Summary;
  acceptedMs: Summary;
  /** RSS of each agent process, connected and approved, after AGENT_IDLE_MS with nothing to do */
  idleAgentRssBytes: Summary;
}

/** ms the online agents are left idle before their RSS is read */
const AGENT_IDLE_MS = 5_000;

/** 30–100 real agent processes against the real hub: `check` and a deploy with receipts. */
export async function runReal(n: number, rounds: number, version: string): Promise<RealResult> {
  const dir = mkdtempSync(join(tmpdir(), 'serfbort-bench-real-'));
  let hub: HubProcess | undefined;
  let closeFleet = async () => {};
  try {
    hub = await startHubProcess({
      port: await freePort(),
      dataDir: await freshHubDataDir(join(dir, 'hub')),
      hubId: 'bench-hub',
    });
    const trust = benchTrust(2);
    await publishTrust(hub.url, trust.root, trust.keyring);
    const operator = await connectOperator(hub.url, trust.operators[0]!);
    const t0 = performance.now();
    const fleet = await startRealFleet({
      n,
      dir,
      hubUrl: hub.url,
      root: trust.root,
      operator,
      operatorKey: trust.operators[0]!,
      version,
    });
    closeFleet = fleet.close;
    await pollUntil(
      async () => {
        const hosts = await call<HostView[]>(operator, 'hosts:list', [
          { target: { selector: REAL_SELECTOR } },
        ]);
        return hosts.filter((h) => h.state === 'online' && h.approved).length === n;
      },
      60_000 + n * 2000,
      `${n} real agents online`,
      250,
    );
    const startMs = performance.now() - t0;
    await sleep(AGENT_IDLE_MS);
    const idleAgentRssBytes = summarize(fleet.agents.map((a) => rssBytes(a.pid!)));

    // what a CLI does: believe answers only from operator-approved (here: enrolled) agent keys
    const root = verifyInitialRoot(trust.root, nodeVerifier);
    if (!root.ok) throw new Error('bench root does not verify');
    const keyring = verifyKeyring(root.value.root, trust.keyring, nodeVerifier, {
      now: Date.now(),
    });
    if (!keyring.ok) throw new Error('bench keyring does not verify');
    const records = await call<AgentKeyRecord[]>(operator, 'agents:keys', []);
    const keys = trustedAgentKeys(records, keyring.value, nodeVerifier);

    const check = async () => {
      const t = performance.now();
      const result = await call<CheckResult>(operator, 'check:run', [
        { app: 'web', target: { selector: REAL_SELECTOR }, timeoutMs: 10_000 },
      ]);
      let good = 0;
      for (const answer of result.answers) {
        const host = JSON.parse(Buffer.from(answer.payload, 'base64').toString()).host as string;
        if (verifyCheckAnswer(answer, { host, checkId: result.checkId }, keys, nodeVerifier).ok)
          good++;
      }
      if (good !== n)
        throw new Error(
          `check: ${good} of ${n} verified answers (${result.unreachable.length} unreachable)`,
        );
      return performance.now() - t;
    };
    await check(); // warm-up
    const checks: number[] = [];
    for (let i = 0; i < rounds; i++) checks.push(await check());

    const deploys = [];
    for (let i = 0; i < rounds; i++)
      deploys.push(
        await timeDeploy(operator, trust.operators[0]!, hub.pid, {
          app: 'web',
          selector: REAL_SELECTOR,
          expected: n,
          limitMs: 60_000,
        }),
      );
    operator.close();
    return {
      n,
      startMs,
      checkMs: summarize(checks),
      deployMs: summarize(deploys.map((d) => d.receiptsMs)),
      acceptedMs: summarize(deploys.map((d) => d.acceptedMs)),
      idleAgentRssBytes,
    };
  } finally {
    await closeFleet();
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
