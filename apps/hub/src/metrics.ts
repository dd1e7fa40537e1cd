import type { HostProblemCode } from '@serfbort/core';
import { hostProblemLabel } from '@serfbort/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per hub instance, so several hubs in one process (tests) never collide. */
export function createMetrics(
  connectedAgents: () => number,
  node: { node: string; hubId: string; mode: 'single' | 'cluster' },
  problemCounts: () => Partial<Record<HostProblemCode, number>> = () => ({}),
) {
  const registry = new Registry();
  // standard names (process_*, nodejs_*), so stock Node.js dashboards and alerts work as they are
  collectDefaultMetrics({ register: registry });
  // gauges named *_total break the naming rules promtool checks; the same counts are in
  // nodejs_active_handles / _requests / _resources, by type
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ])
    registry.removeSingleMetric(name);
  const info = new Gauge({
    name: 'serfbort_hub_node_info',
    help: 'which hub node answers (always 1): node name, hub id, single or cluster',
    labelNames: ['node', 'hub_id', 'mode'],
    registers: [registry],
  });
  info.set({ node: node.node, hub_id: node.hubId, mode: node.mode }, 1);
  return {
    registry,
    connectedAgents: new Gauge({
      name: 'serfbort_connected_agents',
      help: 'approved agents connected to this hub node',
      registers: [registry],
      collect() {
        this.set(connectedAgents());
      },
    }),
    agentsWithProblem: new Gauge({
      name: 'serfbort_hub_agents_with_problem',
      help: 'approved hosts this node knows a problem of: disk_full, state_unwritable, trust_expired (reported by the connected agent), clock_skew (its hello refused here)',
      labelNames: ['problem'],
      registers: [registry],
      collect() {
        for (const [code, n] of Object.entries(problemCounts()))
          this.set({ problem: hostProblemLabel(code as HostProblemCode) }, n);
      },
    }),
    deployments: new Counter({
      name: 'serfbort_deployments_total',
      help: 'deploy requests accepted',
      registers: [registry],
    }),
    hostOutcomes: new Counter({
      name: 'serfbort_host_outcomes_total',
      help: 'per-host deployment states reached',
      labelNames: ['status'],
      registers: [registry],
    }),
    refused: new Counter({
      name: 'serfbort_refused_total',
      help: 'messages refused, by reason code',
      labelNames: ['code', 'event'],
      registers: [registry],
    }),
    unknownEvents: new Counter({
      name: 'serfbort_unknown_events_total',
      help: 'events no handler knows',
      labelNames: ['namespace'],
      registers: [registry],
    }),
    relayLatency: new Histogram({
      name: 'serfbort_relay_latency_seconds',
      help: 'from a deploy request reaching the hub to the agent acknowledging it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    admissionRefused: new Counter({
      name: 'serfbort_hub_admission_refused_total',
      help: 'connections and hellos of unapproved keys refused per source address, by bucket',
      labelNames: ['reason'],
      registers: [registry],
    }),
    pendingEvicted: new Counter({
      name: 'serfbort_hub_pending_evicted_total',
      help: 'keys awaiting approval forgotten to make room, by the cap that was hit',
      labelNames: ['cap'],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'serfbort_webhook_deliveries_total',
      help: 'webhook posts by endpoint name and result (delivered, retry, failed)',
      labelNames: ['endpoint', 'result'],
      registers: [registry],
    }),
    webhookBacklog: new Gauge({
      name: 'serfbort_webhook_backlog',
      help: 'webhook deliveries waiting to be posted or retried',
      registers: [registry],
    }),
    receipts: new Counter({
      name: 'serfbort_receipts_total',
      help: 'receipts stored',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
