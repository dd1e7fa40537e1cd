import type { HostProblem } from '@serfbort/core';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { agents } from '../db/schema.js';
import type { HostProblemStore } from '../hub-services.js';
import { skewSeconds } from './verify-hello.js';

/**
 * Why approved hosts that keep trying cannot come online, kept by the node that refused
 * them. Only a hello signed by a host's approved key is recorded: nobody else can
 * paint an approved host as broken.
 */
export class HostProblems implements HostProblemStore {
  private readonly byHost = new Map<string, HostProblem>();

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
}
