import { sql } from 'drizzle-orm';
import { Gauge } from 'prom-client';
import type { HubContext } from './hub-context.js';

/**
 * What an alert needs that counters cannot say: how many agents are where, how many keys
 * wait for approval, how many rollouts run, and when trust expires (every deploy stops
 * then). Read from the database at each scrape, so every hub of a fleet reports the fleet.
 */
export function registerFleetGauges(ctx: HubContext): void {
  const registers = [ctx.metrics.registry];
  // one query for the three database gauges; prom-client collects each, the first reads for all
  let reading: Promise<void> | undefined;
  const collect = () => read();
  const agents = new Gauge({
    name: 'serfbort_agents',
    help: 'approved agents by presence (the whole fleet, from the database)',
    labelNames: ['presence'],
    registers,
    collect,
  });
  const pending = new Gauge({
    name: 'serfbort_pending_agents',
    help: 'keys waiting for an operator to approve them',
    registers,
    collect,
  });
  const rollouts = new Gauge({
    name: 'serfbort_rollouts',
    help: 'rollouts not yet ended, by status (running, paused)',
    labelNames: ['status'],
    registers,
    collect,
  });
  new Gauge({
    name: 'serfbort_trust_expiry_timestamp_seconds',
    help: 'when the current root or keyring expires (alert well before: every deploy stops then)',
    labelNames: ['document'],
    registers,
    collect() {
      const trust = ctx.trust.current();
      if (!trust) return;
      this.set({ document: 'root' }, trust.root.root.expiresAt / 1000);
      if (trust.keyring) this.set({ document: 'keyring' }, trust.keyring.keyring.expiresAt / 1000);
    },
  });
  function read(): Promise<void> {
    reading ??= (async () => {
      try {
        const rows = (await ctx.db.execute(sql`
          select 'agents' as what, presence as label, count(*)::int as n from agents group by presence
          union all select 'pending', '', count(*)::int from pending_agents
          union all select 'rollouts', status, count(*)::int from rollouts
            where status in ('running', 'paused') group by status`)) as unknown as {
          rows: { what: string; label: string; n: number }[];
        };
        agents.reset();
        rollouts.reset();
        for (const presence of ['online', 'left', 'lost']) agents.set({ presence }, 0);
        for (const status of ['running', 'paused']) rollouts.set({ status }, 0);
        pending.set(0);
        for (const r of rows.rows) {
          if (r.what === 'agents') agents.set({ presence: r.label }, r.n);
          else if (r.what === 'pending') pending.set(r.n);
          else rollouts.set({ status: r.label }, r.n);
        }
      } catch {
        // storage away: /readyz says so; the gauges keep their last values
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  }
}
