import type {
  AgentKeyEvidence,
  Envelope,
  HostState,
  HostView,
  Labels,
  LastDeployView,
  Target,
} from '@serfbort/core';
import { targetMatches } from '@serfbort/core';
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { agents, deploymentHosts, deployments, pendingAgents } from '../db/schema.js';
import type { HostProblemStore, Sessions, TrustReportStore } from '../hub-services.js';
import { labelState } from './approved-labels.js';

/**
 * The registry as operators see it: presence, versions, the last deploy per app
 * (for drift) and what is still pending. Filtered by target or by host names.
 */
export async function loadHostViews(
  db: Db,
  {
    sessions,
    hostProblems,
    trustReports,
  }: {
    sessions: Pick<Sessions, 'has'>;
    hostProblems: Pick<HostProblemStore, 'get' | 'reported'>;
    trustReports?: Pick<TrustReportStore, 'get'> | undefined;
  },
  filter: { target?: Target; names?: string[] },
  now: number,
): Promise<HostView[]> {
  let rows = await db
    .select()
    .from(agents)
    .where(
      filter.names
        ? inArray(agents.name, filter.names.length > 0 ? filter.names : [''])
        : undefined,
    )
    .orderBy(asc(agents.name));
  if (filter.target) {
    const target = filter.target;
    rows = rows.filter((r) => targetMatches(target, r));
  }
  if (rows.length === 0) return [];
  const names = rows.length <= 1000 ? rows.map((r) => r.name) : undefined;
  const hostFilter = names ? inArray(deploymentHosts.host, names) : undefined;
  const last = await db
    .selectDistinctOn([deploymentHosts.host, deploymentHosts.app], {
      host: deploymentHosts.host,
      app: deploymentHosts.app,
      requestId: deploymentHosts.requestId,
      state: deploymentHosts.state,
      versionAfter: deploymentHosts.versionAfter,
      at: deploymentHosts.updatedAt,
      version: deployments.version,
    })
    .from(deploymentHosts)
    .innerJoin(deployments, eq(deployments.requestId, deploymentHosts.requestId))
    .where(hostFilter)
    .orderBy(deploymentHosts.host, deploymentHosts.app, desc(deploymentHosts.issuedAt));
  const pending = await db
    .select({
      host: deploymentHosts.host,
      requestId: deploymentHosts.requestId,
      app: deploymentHosts.app,
      version: deployments.version,
      expiresAt: deployments.expiresAt,
    })
    .from(deploymentHosts)
    .innerJoin(deployments, eq(deployments.requestId, deploymentHosts.requestId))
    .where(and(eq(deploymentHosts.state, 'pending'), gt(deployments.expiresAt, now), hostFilter));
  const announced = await announcedLabels(db, names);
  const lastBy = new Map<string, Record<string, LastDeployView>>();
  for (const l of last) {
    const m = lastBy.get(l.host) ?? {};
    m[l.app] = {
      requestId: l.requestId,
      version: l.version,
      state: l.state as HostState,
      versionAfter: l.versionAfter,
      at: l.at,
    };
    lastBy.set(l.host, m);
  }
  const pendingBy = new Map<string, HostView['pendingDeploys']>();
  for (const p of pending) {
    const list = pendingBy.get(p.host) ?? [];
    list.push({ requestId: p.requestId, app: p.app, version: p.version, expiresAt: p.expiresAt });
    pendingBy.set(p.host, list);
  }
  return rows.map((r) => ({
    name: r.name,
    labels: r.labels,
    ...labelView(r, announced.get(r.keyId)),
    state: r.presence,
    ...problemOf(hostProblems, r.name, r.presence),
    ...reportedOf(hostProblems, r.name),
    approved: true,
    keyId: r.keyId,
    agentVersion: r.agentVersion,
    lastSeen: sessions.has(r.name) ? now : r.lastSeen,
    ...(r.presence === 'online' && r.hubNode ? { hub: r.hubNode } : {}),
    apps: r.appVersions,
    lastDeploys: lastBy.get(r.name) ?? {},
    pendingDeploys: pendingBy.get(r.name) ?? [],
    ...trustReportOf(trustReports, r.name, r.keyId),
  }));
}

/** Labels approved keys announce instead of their signed ones (pending re-approval). */
async function announcedLabels(db: Db, names: string[] | undefined): Promise<Map<string, Labels>> {
  const rows = await db
    .select({ keyId: pendingAgents.keyId, labels: pendingAgents.labels })
    .from(pendingAgents)
    .innerJoin(
      agents,
      and(eq(agents.keyId, pendingAgents.keyId), eq(agents.name, pendingAgents.name)),
    )
    .where(names ? inArray(agents.name, names) : undefined);
  return new Map(rows.map((r) => [r.keyId, r.labels]));
}

function labelView(
  r: { evidence: AgentKeyEvidence; labels: Labels },
  announced: Labels | undefined,
): Pick<HostView, 'labelState' | 'announcedLabels'> {
  const state = labelState(r.evidence, r.labels, announced);
  return state === 'changed' && announced
    ? { labelState: state, announcedLabels: announced }
    : { labelState: state };
}

/** A refused hello matters only while the host is not online again (through another node). */
function problemOf(
  problems: Pick<HostProblemStore, 'get'>,
  host: string,
  presence: HostView['state'],
): Pick<HostView, 'problem'> {
  const problem = presence === 'online' ? undefined : problems.get(host);
  return problem ? { problem } : {};
}

/** What the agent reported in its presence, while it is connected to this node. */
function reportedOf(
  problems: Pick<HostProblemStore, 'reported'>,
  host: string,
): Pick<HostView, 'problems'> {
  const reported = problems.reported(host);
  return reported ? { problems: reported } : {};
}

function trustReportOf(
  store: Pick<TrustReportStore, 'get'> | undefined,
  host: string,
  keyId: string,
): { trustReport?: Envelope } {
  const envelope = store?.get(host, keyId);
  return envelope ? { trustReport: envelope } : {};
}
