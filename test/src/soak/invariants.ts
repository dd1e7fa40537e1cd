import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AuditVerdict,
  DeploymentSummary,
  DeploymentView,
  HostView,
  RolloutView,
} from '@serfbort/core';
import { FINAL_HOST_STATES, FINAL_ROLLOUT_STATUSES } from '@serfbort/core';
import type { CliResult, SoakAgent, World } from './world.js';

/** What a schedule left behind for the checks: where each host's history stood before it. */
export interface Mark {
  startedAt: number;
  runs: Map<string, number>;
}

export interface Violation {
  invariant: 1 | 2 | 3 | 4 | 5;
  what: string;
}

export const INVARIANTS = {
  1: 'no host ran a request it was not sent validly, or ran one twice',
  2: 'no receipt an agent wrote is missing from the hub once everything is back',
  3: 'no rollout released a step past its failure budget',
  4: 'every host ends in a state the client can name',
  5: 'the audit chain verifies',
} as const;

export function markWorld(world: World): Mark {
  return {
    startedAt: Date.now(),
    runs: new Map(world.agents.map((a) => [a.name, a.runs().length])),
  };
}

/** Deployments submitted since the mark (rollbacks and resumed steps included). */
export async function deploymentsSince(world: World, mark: Mark): Promise<DeploymentView[]> {
  const list = await world.api<DeploymentSummary[]>('/api/deployments?app=web&limit=100');
  const recent = list.filter((d) => d.submittedAt >= mark.startedAt - 1_000);
  const views: DeploymentView[] = [];
  for (const d of recent)
    views.push(await world.api<DeploymentView>(`/api/deployments/${d.requestId}`));
  return views;
}

export async function rolloutsSince(world: World, mark: Mark): Promise<RolloutView[]> {
  const list = await world.api<RolloutView[]>('/api/rollouts?app=web&limit=100');
  return list.filter((r) => r.createdAt >= mark.startedAt - 1_000);
}

/** Receipts an agent signed and still holds: the hub has not acknowledged them. */
export function unacknowledged(agent: SoakAgent): string[] {
  try {
    return readdirSync(join(agent.host.stateDir, 'outbox')).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

/** The first receipt status an agent logged for each request, over every process it ran. */
function firstReceipts(agent: SoakAgent): Map<string, string> {
  const first = new Map<string, string>();
  for (const l of agent.logs)
    if (l.event === 'deploy.finished' && typeof l.requestId === 'string' && !first.has(l.requestId))
      first.set(l.requestId, String(l.status));
  return first;
}

function acceptedAt(agent: SoakAgent, requestId: string): number | undefined {
  const line = agent.logs.find((l) => l.event === 'deploy.accepted' && l.requestId === requestId);
  return typeof line?.acceptedAt === 'number' ? line.acceptedAt : undefined;
}

const targets = (d: DeploymentView, host: string): boolean =>
  'hosts' in d.target
    ? (d.target.hosts as string[]).includes(host)
    : // every soak host carries role=soak; the soak only signs that selector
      (d.target as { selector: string }).selector === 'role=soak';

/** ids the CLI printed as signed, or undefined when some run printed no readable document */
export function signedByCli(results: CliResult[]): Set<string> | undefined {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'requestId' && typeof x === 'string') ids.add(x);
        else walk(x);
      }
  };
  for (const r of results) {
    let doc: unknown;
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      return undefined;
    }
    // a run that ended in an error (its hub went away) may have signed steps it never printed
    if (doc && typeof doc === 'object' && 'error' in doc) return undefined;
    walk(doc);
  }
  return ids;
}

export async function checkInvariants(
  world: World,
  mark: Mark,
  clis: CliResult[],
  /** ask through `serfbort list --json` (a CLI process) rather than the viewer API's same view */
  listWithCli = true,
): Promise<Violation[]> {
  const out: Violation[] = [];
  const deployments = await deploymentsSince(world, mark);
  const byId = new Map(deployments.map((d) => [d.requestId, d]));
  const lookup = async (id: string): Promise<DeploymentView | undefined> =>
    byId.get(id) ??
    (await world.api<DeploymentView>(`/api/deployments/${id}`).catch(() => undefined));
  const cliIds = signedByCli(clis);

  // 1: every run was a stored, signed request for this host, accepted in time, run once
  for (const agent of world.agents) {
    const runs = agent.runs();
    const seen = new Set<string>();
    for (const [i, run] of runs.entries()) {
      if (seen.has(run.requestId))
        out.push({ invariant: 1, what: `${agent.name} ran request ${run.requestId} twice` });
      seen.add(run.requestId);
      if (i < (mark.runs.get(agent.name) ?? 0)) continue;
      const d = await lookup(run.requestId);
      if (!d) {
        out.push({
          invariant: 1,
          what: `${agent.name} ran ${run.requestId}, which the hub never stored`,
        });
        continue;
      }
      if (d.version !== run.version)
        out.push({
          invariant: 1,
          what: `${agent.name} ran ${run.requestId} as ${run.version}, signed ${d.version}`,
        });
      if (!targets(d, agent.name))
        out.push({
          invariant: 1,
          what: `${agent.name} ran ${run.requestId}, which does not target it`,
        });
      if (!d.signerNames.includes('alice'))
        out.push({
          invariant: 1,
          what: `${agent.name} ran ${run.requestId}, signed by ${d.signerNames.join(',')}`,
        });
      const accepted = acceptedAt(agent, run.requestId);
      if (accepted === undefined)
        out.push({
          invariant: 1,
          what: `${agent.name} ran ${run.requestId} without logging deploy.accepted`,
        });
      else if (accepted > d.expiresAt)
        out.push({
          invariant: 1,
          what: `${agent.name} accepted ${run.requestId} ${accepted - d.expiresAt} ms after it expired`,
        });
      if (cliIds && d.submittedAt >= mark.startedAt && !cliIds.has(run.requestId))
        out.push({
          invariant: 1,
          what: `${agent.name} ran ${run.requestId}, which no CLI run reported signing`,
        });
    }
  }

  // 2: every receipt an agent signed is on the hub, with the status it signed, and acknowledged
  for (const agent of world.agents) {
    const held = unacknowledged(agent);
    if (held.length > 0)
      out.push({
        invariant: 2,
        what: `${agent.name} still holds unacknowledged receipts: ${held.join(', ')}`,
      });
    for (const [id, status] of firstReceipts(agent)) {
      const d = byId.get(id);
      // older receipts were checked by the schedule that made them
      if (!d) continue;
      const h = d.hosts.find((x) => x.host === agent.name);
      if (!h?.receipt)
        out.push({
          invariant: 2,
          what: `${agent.name}'s ${status} receipt for ${id} is not on the hub (hub: ${h?.state ?? 'no row'})`,
        });
      else if (h.state !== status)
        out.push({
          invariant: 2,
          what: `${agent.name} signed ${status} for ${id}; the hub says ${h.state}`,
        });
    }
  }

  // 3: a step is released only while the failures of the steps before it fit the budget
  const rollouts = await rolloutsSince(world, mark);
  for (const r of rollouts) {
    if (r.kind !== 'rollout') continue;
    let failures = 0;
    for (const step of r.steps) {
      if (!step.requestId) break;
      if (failures > r.budget)
        out.push({
          invariant: 3,
          what: `rollout ${r.id} released step ${step.index + 1} after ${failures} failure(s), budget ${r.budget}`,
        });
      const d = await lookup(step.requestId);
      for (const host of step.hosts) {
        const state = d?.hosts.find((x) => x.host === host)?.state;
        if (state !== 'succeeded') failures++;
      }
    }
  }

  // 4: hosts, deployments and rollouts all end in states the client names; the CLI never crashes
  for (const d of deployments)
    for (const h of d.hosts)
      if (!FINAL_HOST_STATES.includes(h.state))
        out.push({
          invariant: 4,
          what: `${h.host} is still ${h.state} in ${d.requestId} (${d.version})`,
        });
  for (const r of rollouts)
    if (!FINAL_ROLLOUT_STATUSES.includes(r.status))
      out.push({ invariant: 4, what: `rollout ${r.id} is still ${r.status}` });
  const list = listWithCli
    ? await world.cli(['list', '--json'], 30_000)
    : { code: 0, stderr: '', stdout: JSON.stringify({ hosts: await world.api('/api/hosts') }) };
  if (list.code !== 0)
    out.push({ invariant: 4, what: `serfbort list exited ${list.code}: ${list.stderr.trim()}` });
  else {
    const hosts = (JSON.parse(list.stdout) as { hosts: HostView[] }).hosts;
    for (const a of world.agents) {
      const h = hosts.find((x) => x.name === a.name);
      if (h?.state !== 'online' || !h.approved)
        out.push({
          invariant: 4,
          what: `list shows ${a.name} as ${h ? `${h.state}${h.approved ? '' : ' (not approved)'}` : 'missing'} after healing`,
        });
    }
  }
  for (const r of clis) {
    if (r.code === null || r.code > 3)
      out.push({
        invariant: 4,
        what: `serfbort ${r.args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 400)}`,
      });
    if (/\n\s+at .+:\d+:\d+/.test(r.stderr))
      out.push({
        invariant: 4,
        what: `serfbort ${r.args.join(' ')} printed a stack trace: ${r.stderr.slice(0, 400)}`,
      });
  }

  // 5
  const audit = await world.api<AuditVerdict>('/api/audit/verify');
  if (!audit.ok)
    out.push({
      invariant: 5,
      what: `audit chain broken at row ${audit.firstBroken} of ${audit.rows}`,
    });
  return out;
}
