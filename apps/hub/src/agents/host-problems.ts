import type { AgentProblem, HostProblem, HostProblemCode } from '@serfbort/core';
import { AGENT_PROBLEM_CODES } from '@serfbort/core';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { agents } from '../db/schema.js';
import type { HostProblemStore } from '../hub-services.js';
import { skewSeconds } from './verify-hello.js';

/**
 * Why approved hosts that keep trying cannot come online, kept by the node that refused
 * them. Only a hello signed by a host's approved key is recorded: nobody else can
 * paint an approved host as broken. Beside them, what online agents connected here
 * report in their presence (full disk, expired trust), until they say it is gone or leave.
 */
export class HostProblems implements HostProblemStore {
  private readonly byHost = new Map<string, HostProblem>();
  private readonly reportedBy = new Map<string, AgentProblem[]>();

  get(host: string): HostProblem | undefined {
    return this.byHost.get(host);
  }

  /** True when the host is approved for this key and the problem was recorded. */
  async recordSkew(
    db: Db,
    e: { host: string; keyId: string; skewMs: number },
    now: number,
  ): Promise<boolean> {
    const [row] = await db
      .select({ name: agents.name })
      .from(agents)
      .where(and(eq(agents.name, e.host), eq(agents.keyId, e.keyId)))
      .limit(1);
    if (!row) return false;
    this.byHost.set(e.host, {
      code: 'CLOCK_SKEW',
      detail: `clock skew ${skewSeconds(e.skewMs)} s`,
      skewMs: e.skewMs,
      at: now,
    });
    return true;
  }

  /** A hello that passed: the problem is gone. */
  clear(host: string): boolean {
    return this.byHost.delete(host);
  }

  reported(host: string): AgentProblem[] | undefined {
    return this.reportedBy.get(host);
  }

  /** The agent's presence, the whole list each time; true when what it reports changed. */
  report(host: string, problems: readonly AgentProblem[]): boolean {
    const before = this.reportedBy.get(host);
    if (problems.length === 0) return this.reportedBy.delete(host);
    this.reportedBy.set(host, [...problems]);
    return wordsOf(before) !== wordsOf(problems);
  }

  /** Its connection here ended: what it reported is no longer known. */
  forget(host: string): boolean {
    return this.reportedBy.delete(host);
  }

  /** Hosts with each problem, every code present (zero included), for the gauge. */
  counts(): Record<HostProblemCode, number> {
    const counts = Object.fromEntries(
      [...AGENT_PROBLEM_CODES, 'CLOCK_SKEW' as const].map((c) => [c, 0]),
    ) as Record<HostProblemCode, number>;
    for (const p of this.byHost.values()) counts[p.code]++;
    for (const list of this.reportedBy.values()) for (const p of list) counts[p.code]++;
    return counts;
  }
}

const wordsOf = (list: readonly AgentProblem[] | undefined) =>
  (list ?? []).map((p) => `${p.code}:${p.detail}`).join('\n');
