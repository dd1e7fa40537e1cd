import type { FloorResult } from '../floor/run-floor.js';
import type { RealResult } from '../real/run-real.js';
import type { SerfResult } from '../serf/run-serf.js';
import type { SimResult } from '../sim/run-sim.js';
import type { Row } from './table.js';

export function floorRows(floor: ReadonlyMap<number, FloorResult>): Row[] {
  return [...floor.values()].flatMap((f): Row[] => {
    const part = f.mode === 'crypto' ? 'crypto floor' : 'floor';
    const rows: Row[] = [
      { part, metric: 'fan-out → all acks', n: f.n, unit: 'ms', value: f.fanoutMs },
      { part, metric: 'server CPU per fan-out', n: f.n, unit: 'ms', value: f.serverCpuMsPerFanout },
    ];
    // the clients' crypto changes neither the server's memory nor the connect ramp
    if (f.mode === 'bare')
      rows.push(
        {
          part,
          metric: 'server RSS per connection',
          n: f.n,
          unit: 'KB',
          value: f.rssPerConnectionBytes,
        },
        {
          part,
          metric: 'connections per second',
          n: f.n,
          unit: '/s',
          value: f.connectionsPerSecond,
        },
      );
    return rows;
  });
}

export function serfRows(serf: ReadonlyMap<number, SerfResult>): Row[] {
  return [...serf.values()].flatMap((s) => [
    { part: 'serf', metric: 'serf query → last response', n: s.n, unit: 'ms', value: s.queryMs },
    { part: 'serf', metric: '… after "dispatched"', n: s.n, unit: 'ms', value: s.afterDispatchMs },
  ]);
}

const floorOf = (floor: ReadonlyMap<number, FloorResult>, n: number) => floor.get(n);

export function simRows(
  sims: ReadonlyMap<number, SimResult>,
  floor: ReadonlyMap<number, FloorResult>,
  cryptoFloor: ReadonlyMap<number, FloorResult>,
): Row[] {
  return [...sims.values()].flatMap((s): Row[] => {
    const f = floorOf(floor, s.n);
    const cf = floorOf(cryptoFloor, s.n);
    const vs = (value: number, base: number | undefined) =>
      base === undefined ? {} : { floor: base, ratio: value / base };
    const latencyGoal =
      s.n === 1000 ? '≤2.5× floor, ≤300 ms' : s.n === 10_000 ? '≤2.5× floor, ≤3 s' : undefined;
    const rows: Row[] = [
      {
        part: 'serfbort',
        metric: 'submit → all accepted',
        n: s.n,
        unit: 'ms',
        value: s.acceptedMs,
        ...vs(s.acceptedMs.median, f?.fanoutMs.median),
      },
      {
        part: 'serfbort',
        metric: 'submit → all receipts stored+verified',
        n: s.n,
        unit: 'ms',
        value: s.receiptsMs,
        ...vs(s.receiptsMs.median, f?.fanoutMs.median),
        ...(latencyGoal ? { goal: latencyGoal } : {}),
      },
      ...(cf
        ? [
            {
              part: 'serfbort',
              metric: '… vs the crypto floor',
              n: s.n,
              unit: 'ms',
              value: s.receiptsMs,
              ...vs(s.receiptsMs.median, cf.fanoutMs.median),
              ...(s.n >= 1000 ? { goal: '≤3× crypto floor' } : {}),
            },
          ]
        : []),
      {
        part: 'serfbort',
        metric: 'hub CPU per deploy',
        n: s.n,
        unit: 'ms',
        value: s.hubCpuMsPerDeploy,
        ...vs(s.hubCpuMsPerDeploy.median, f?.serverCpuMsPerFanout),
      },
      {
        part: 'serfbort',
        metric: 'hub CPU per receipt',
        n: s.n,
        unit: 'µs',
        value: s.hubCpuUsPerReceipt,
        ...(f ? vs(s.hubCpuUsPerReceipt, (f.serverCpuMsPerFanout * 1000) / s.n) : {}),
        ...(s.n === 10_000 ? { goal: '≤300 µs' } : {}),
      },
      {
        part: 'serfbort',
        metric: 'worst hub /healthz delay in deploys',
        n: s.n,
        unit: 'ms',
        value: s.worstHubLagMs,
        ...(s.failure ? { goal: `FAILED: ${s.failure.slice(0, 60)}` } : {}),
      },
      ...lagRows(s),
      {
        part: 'serfbort',
        metric: 'load generator CPU per deploy',
        n: s.n,
        unit: 'ms',
        value: s.loadGeneratorCpuMsPerDeploy,
      },
      {
        part: 'serfbort',
        metric: 'connect+auth per second',
        n: s.n,
        unit: '/s',
        value: s.connectionsPerSecond,
        ...vs(s.connectionsPerSecond, f?.connectionsPerSecond),
      },
      {
        part: 'serfbort',
        metric: `1% deploy (${s.onePercent.n}) → receipts`,
        n: s.n,
        unit: 'ms',
        value: s.onePercent.receiptsMs,
      },
      {
        part: 'serfbort',
        metric: '1% deploy hub CPU',
        n: s.n,
        unit: 'ms',
        value: s.onePercent.hubCpuMsPerDeploy,
        floor: s.hubCpuMsPerDeploy.median,
        ratio: s.onePercent.cpuShareOfFleet,
        ratioLabel: '× fleet',
        ...(s.n === 10_000 ? { goal: '≤0.05× fleet' } : {}),
      },
    ];
    rows.push({
      part: 'serfbort',
      metric: 'idle hub RSS, new database, no agents',
      n: s.n,
      unit: 'MB',
      value: s.rssFreshBytes,
      goal: '≤150 MB',
    });
    if (s.idleAfterReceipts)
      rows.push({
        part: 'serfbort',
        metric: `idle hub RSS, ${s.idleAfterReceipts.receipts} receipts stored`,
        n: s.n,
        unit: 'MB',
        value: s.idleAfterReceipts.rssBytes,
        goal: '≤250 MB at 100,000',
      });
    // first start: the baseline is taken after the approvals' garbage, so it is noisy;
    // with a restart, the restarted hub (empty, then full) gives the cleaner figure
    if (!s.storm)
      rows.push(
        {
          part: 'serfbort',
          metric: 'hub RSS per agent',
          n: s.n,
          unit: 'KB',
          value: s.memory.rssPerAgentBytes,
          ...vs(s.memory.rssPerAgentBytes, f?.rssPerConnectionBytes),
          ...(s.n === 10_000 ? { goal: '≤40 KB' } : {}),
        },
        {
          part: 'serfbort',
          metric: 'hub heap per agent',
          n: s.n,
          unit: 'KB',
          value: s.memory.heapPerAgentBytes,
        },
      );
    if (s.storm)
      rows.push(
        {
          part: 'serfbort',
          metric: 'restart → all agents back',
          n: s.n,
          unit: 'ms',
          value: s.storm.allBackMs,
          ...(s.n === 10_000 ? { goal: '≤30 s' } : {}),
        },
        {
          part: 'serfbort',
          metric: '… after new hub ready',
          n: s.n,
          unit: 'ms',
          value: s.storm.allBackAfterReadyMs,
        },
        {
          part: 'serfbort',
          metric: 'hub RSS per agent (restarted hub)',
          n: s.n,
          unit: 'KB',
          value: (s.storm.rssAllBackBytes - s.storm.rssReadyBytes) / s.n,
          ...vs((s.storm.rssAllBackBytes - s.storm.rssReadyBytes) / s.n, f?.rssPerConnectionBytes),
          ...(s.n === 10_000 ? { goal: '≤40 KB' } : {}),
        },
        {
          part: 'serfbort',
          metric: 'hub heap per agent (restarted hub)',
          n: s.n,
          unit: 'KB',
          value: (s.storm.heapAllBackBytes - s.storm.heapReadyBytes) / s.n,
        },
        {
          part: 'serfbort',
          metric: 'storm: refused/timed-out tries',
          n: s.n,
          unit: '',
          value: s.storm.connectErrors + s.storm.authFailures,
        },
        {
          part: 'serfbort',
          metric: 'in-flight receipts kept',
          n: s.n,
          unit: `of ${s.storm.receiptsExpected}`,
          value: s.storm.receiptsStored,
          goal: 'none lost',
        },
      );
    return rows;
  });
}

/** The hub's own event-loop lag (its /metrics), over the fleet deploys and over a presence flood. */
function lagRows(s: SimResult): Row[] {
  const rows: Row[] = [];
  const lag = (metric: string, value: number, goal?: string): Row => ({
    part: 'serfbort',
    metric,
    n: s.n,
    unit: 'ms',
    value,
    ...(goal ? { goal } : {}),
  });
  if (s.fleetLag)
    rows.push(
      lag('event-loop lag p99, fleet deploys', s.fleetLag.p99Ms, '≤100 ms'),
      lag('event-loop lag worst, fleet deploys', s.fleetLag.maxMs),
    );
  if (s.heads) {
    const { hosts, batchedMs, perHostHosts, perHostMs } = s.heads;
    rows.push({
      part: 'serfbort',
      metric: `list/check: every host's newest receipt and heads (${hosts} hosts, 200 a request)`,
      n: s.n,
      unit: 'ms',
      value: batchedMs,
      // one request per host, scaled from its sample to this many hosts
      floor: (perHostMs.median / perHostHosts) * hosts,
      ratio: (perHostMs.median / perHostHosts / batchedMs.median) * hosts,
      ratioLabel: `× faster than a request per host (timed on ${perHostHosts})`,
    });
  }
  if (s.flood) {
    const { counts } = s.flood;
    rows.push(
      lag('event-loop lag p99, presence flood', s.flood.lag.p99Ms, '≤100 ms'),
      lag('event-loop lag worst, presence flood', s.flood.lag.maxMs),
      {
        part: 'serfbort',
        metric: `1% deploy → receipts in the flood (${counts.stored} stored, ${counts.rateLimited} limited)`,
        n: s.n,
        unit: 'ms',
        value: s.flood.deployMs,
        floor: s.onePercent.receiptsMs.median,
        ratio: s.flood.deployMs.median / s.onePercent.receiptsMs.median,
        ratioLabel: '× calm',
      },
    );
  }
  return rows;
}

/** Real agent processes against Serf at the same N: "× faster" is serf ÷ serfbort. */
export function realRows(
  reals: ReadonlyMap<number, RealResult>,
  serf: ReadonlyMap<number, SerfResult>,
): Row[] {
  return [...reals.values()].flatMap((r): Row[] => {
    const s = serf.get(r.n)?.queryMs;
    const faster = (v: number) =>
      s ? { floor: s.median, ratio: s.median / v, ratioLabel: '× faster than serf' } : {};
    return [
      {
        part: 'real agents',
        metric: 'check → every signed answer',
        n: r.n,
        unit: 'ms',
        value: r.checkMs,
        ...faster(r.checkMs.median),
        goal: '≥3× faster (median)',
      },
      {
        part: 'real agents',
        metric: '… worst check vs serf median',
        n: r.n,
        unit: 'ms',
        value: r.checkMs.max,
        ...faster(r.checkMs.max),
        goal: '>1× (beats serf median)',
      },
      {
        part: 'real agents',
        metric: 'deploy → every receipt stored',
        n: r.n,
        unit: 'ms',
        value: r.deployMs,
        ...faster(r.deployMs.median),
      },
      { part: 'real agents', metric: 'start → all online', n: r.n, unit: 'ms', value: r.startMs },
      {
        part: 'real agents',
        metric: 'idle agent RSS (online, 5 s idle)',
        n: r.n,
        unit: 'MB',
        value: r.idleAgentRssBytes,
        goal: '≤50 MB',
      },
    ];
  });
}
