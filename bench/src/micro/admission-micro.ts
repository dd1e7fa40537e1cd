import { decideAdmission, verifyInitialRoot, verifyKeyring } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { signDeploy } from '@serfbort/testkit';
import { type Summary, summarize } from '../common/stats.js';
import { agentLabels, agentName, BENCH_APP, FLEET_SELECTOR } from '../sim/identities.js';
import { benchTrust } from '../sim/trust-setup.js';

export interface AdmissionMicroResult {
  /** CPU µs (user + system) per decideAdmission call: one value per batch (each batch's mean) */
  usPerCall: Summary;
  /** wall-clock µs per call, the same batches: includes time the process waited for a core */
  wallUsPerCall: Summary;
  calls: number;
}

const WARM_UP_CALLS = 200;
const BATCH_CALLS = 50;
const MAX_BATCHES = 60;
const MAX_MS = 5_000;

/**
 * Core's `decideAdmission` in this process, as a simulated agent calls it: the
 * bench's trust (root + keyring of two operators), a real signed deploy for
 * `role=web`, node:crypto as the verifier, a replay view that has seen nothing.
 * The median of batch means damps GC pauses and timer noise. The figure is CPU time
 * per call; the wall-clock one is kept beside it in the results.
 */
export function measureAdmission(): AdmissionMicroResult {
  const trust = benchTrust(2);
  const root = verifyInitialRoot(trust.root, nodeVerifier);
  if (!root.ok) throw new Error(`bench root: ${root.reason}`);
  const now = Date.now();
  const keyring = verifyKeyring(root.value.root, trust.keyring, nodeVerifier, { now });
  if (!keyring.ok) throw new Error(`bench keyring: ${keyring.reason}`);
  const { envelope } = signDeploy(
    { app: BENCH_APP, version: 'v1.42.0', target: { selector: FLEET_SELECTOR } },
    [trust.operators[0]!],
    now,
  );
  const input = {
    envelope,
    trust: { root: root.value, keyring: keyring.value },
    agent: { name: agentName(0), labels: agentLabels(0), apps: [BENCH_APP] },
    replay: { seen: () => false, lastAppliedAt: () => undefined },
    now,
    verifier: nodeVerifier,
  };
  const once = () => {
    const decision = decideAdmission(input);
    if (!decision.accept) throw new Error(`decideAdmission refused: ${decision.reason}`);
  };
  for (let i = 0; i < WARM_UP_CALLS; i++) once();
  // CPU time, not wall time: on a machine shared with other work the wall clock counts
  // the time this process waited for a core (2–10× on the 2-core VM under load)
  const cpu: number[] = [];
  const wall: number[] = [];
  const deadline = performance.now() + MAX_MS;
  while (cpu.length < MAX_BATCHES && performance.now() < deadline) {
    const t = performance.now();
    const c = process.cpuUsage();
    for (let i = 0; i < BATCH_CALLS; i++) once();
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / BATCH_CALLS);
    wall.push(((performance.now() - t) * 1000) / BATCH_CALLS);
  }
  return {
    usPerCall: summarize(cpu),
    wallUsPerCall: summarize(wall),
    calls: cpu.length * BATCH_CALLS,
  };
}
