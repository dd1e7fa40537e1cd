/**
 * Issue 18's table of goals (and issue 17's event-loop lag), one entry per figure:
 * its unit, the N it is stated at, which way is better, and how to read it from a
 * run. goal-table.ts turns these into met / missed / not measured.
 */
import { atOrLargest, type Measured, type Reading, rssPerAgent } from './measured.js';

export interface Goal {
  figure: string;
  unit: 'MB' | 'KB' | '×' | 's' | 'ms' | 'µs' | 'receipts';
  /** the N the goal is stated at; figures taken at another N are "not measured" */
  at?: number;
  /** omitted: the figure is reported beside a goal, with no limit of its own */
  limit?: { direction: 'at most' | 'at least'; value: number };
  read(m: Measured, at: number | undefined): Reading | undefined;
}

const MB = 1024 * 1024;
const atMost = (value: number) => ({ direction: 'at most' as const, value });
const atLeast = (value: number) => ({ direction: 'at least' as const, value });
const ms = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ms`;

/** serfbort's submit → every receipt over the crypto floor's fan-out at the same N. */
const overCryptoFloor = (m: Measured, at: number | undefined): Reading | undefined => {
  const found = atOrLargest(m.sims, at);
  const floor = found && m.cryptoFloor.get(found[0]);
  if (!found || !floor) return undefined;
  const [n, s] = found;
  const detail = `${ms(s.receiptsMs.median)} vs ${ms(floor.fanoutMs.median)}`;
  return { n, value: s.receiptsMs.median / floor.fanoutMs.median, detail };
};

const storm = (m: Measured, at: number | undefined) => {
  const found = atOrLargest(m.sims, at);
  return found?.[1].storm ? ([found[0], found[1].storm] as const) : undefined;
};

const serfVsCheck = (m: Measured, at: number | undefined, of: 'median' | 'max') => {
  const found = atOrLargest(m.reals, at);
  const serf = found && m.serf.get(found[0]);
  if (!found || !serf) return undefined;
  const [n, r] = found;
  const check = r.checkMs[of];
  const detail = `serf ${ms(serf.queryMs.median)} vs check ${ms(check)}`;
  return { n, value: serf.queryMs.median / check, detail };
};

export const GOALS: readonly Goal[] = [
  {
    figure: 'idle hub RSS, embedded database, no agents',
    unit: 'MB',
    limit: atMost(150),
    read: (m) => {
      const fresh = [...m.sims.values()].map((s) => s.rssFreshBytes);
      return fresh.length ? { value: Math.min(...fresh) / MB } : undefined;
    },
  },
  {
    figure: 'idle hub RSS after 100,000 stored receipts',
    unit: 'MB',
    limit: atMost(250),
    read: (m) => {
      const s = [...m.sims.values()].find((x) => x.idleAfterReceipts);
      const idle = s?.idleAfterReceipts;
      if (!idle) return undefined;
      const detail = `${idle.receipts.toLocaleString('en')} receipts stored`;
      return {
        value: idle.rssBytes / MB,
        detail,
        ...(idle.receipts < 100_000 ? { shortOf: detail } : {}),
      };
    },
  },
  {
    figure: 'hub RSS per connected agent',
    unit: 'KB',
    at: 10_000,
    limit: atMost(25),
    read: (m, at) => {
      const found = atOrLargest(m.sims, at);
      return found && { n: found[0], value: rssPerAgent(found[1]) / 1024 };
    },
  },
  {
    figure: 'hub CPU per host ÷ floor server CPU per host',
    unit: '×',
    at: 10_000,
    limit: atMost(5),
    read: (m, at) => {
      const found = atOrLargest(m.sims, at);
      const floor = found && m.floor.get(found[0]);
      if (!found || !floor) return undefined;
      const [n, s] = found;
      const floorUs = (floor.serverCpuMsPerFanout * 1000) / n;
      const detail = `${s.hubCpuUsPerReceipt.toFixed(0)} µs vs ${floorUs.toFixed(0)} µs`;
      return { n, value: s.hubCpuUsPerReceipt / floorUs, detail };
    },
  },
  {
    figure: 'submit → every receipt ÷ crypto floor',
    unit: '×',
    at: 1_000,
    limit: atMost(3),
    read: overCryptoFloor,
  },
  {
    figure: 'submit → every receipt ÷ crypto floor',
    unit: '×',
    at: 10_000,
    limit: atMost(3),
    read: overCryptoFloor,
  },
  {
    figure: 'hub restart → all agents back',
    unit: 's',
    at: 10_000,
    limit: atMost(30),
    read: (m, at) => {
      const found = storm(m, at);
      return found && { n: found[0], value: found[1].allBackMs / 1000 };
    },
  },
  {
    figure: '… graceful stop alone',
    unit: 's',
    at: 10_000,
    limit: atMost(3),
    read: (m, at) => {
      const found = storm(m, at);
      return found && { n: found[0], value: found[1].stopMs / 1000 };
    },
  },
  {
    figure: '… receipts lost over the restart',
    unit: 'receipts',
    at: 10_000,
    limit: atMost(0),
    read: (m, at) => {
      const found = storm(m, at);
      if (!found) return undefined;
      const [n, s] = found;
      return { n, value: s.receiptsExpected - s.receiptsStored };
    },
  },
  {
    figure: 'connect + authenticate rate ÷ floor’s',
    unit: '×',
    at: 10_000,
    limit: atLeast(0.5),
    read: (m, at) => {
      const found = atOrLargest(m.sims, at);
      const floor = found && m.floor.get(found[0]);
      if (!found || !floor) return undefined;
      const [n, s] = found;
      const detail = `${s.connectionsPerSecond.toFixed(0)}/s vs ${floor.connectionsPerSecond.toFixed(0)}/s`;
      return { n, value: s.connectionsPerSecond / floor.connectionsPerSecond, detail };
    },
  },
  {
    figure: 'hub event-loop lag p99, fleet deploys',
    unit: 'ms',
    at: 10_000,
    limit: atMost(100),
    read: (m, at) => {
      const found = atOrLargest(m.sims, at);
      const lag = found?.[1].fleetLag;
      return lag && { n: found[0], value: lag.p99Ms };
    },
  },
  {
    figure: '… worst, fleet deploys (largest N)',
    unit: 'ms',
    read: (m) => {
      const found = atOrLargest(m.sims);
      const lag = found?.[1].fleetLag;
      return lag && { n: found[0], value: lag.maxMs };
    },
  },
  {
    figure: 'hub event-loop lag p99, presence flood',
    unit: 'ms',
    limit: atMost(100),
    read: (m) => {
      const found = atOrLargest(m.sims);
      const flood = found?.[1].flood;
      const detail = flood && `worst ${ms(flood.lag.maxMs)}`;
      return flood && { n: found[0], value: flood.lag.p99Ms, ...(detail ? { detail } : {}) };
    },
  },
  {
    figure: '… 1% deploy → receipts during the flood',
    unit: 'ms',
    read: (m) => {
      const found = atOrLargest(m.sims);
      const flood = found?.[1].flood;
      if (!flood) return undefined;
      const calm = found[1].onePercent.receiptsMs.median;
      return { n: found[0], value: flood.deployMs.median, detail: `${ms(calm)} without` };
    },
  },
  {
    figure: 'idle agent RSS (real agent, online, idle 5 s)',
    unit: 'MB',
    limit: atMost(50),
    read: (m) => {
      const found = atOrLargest(m.reals);
      return found && { n: found[0], value: found[1].idleAgentRssBytes.median / MB };
    },
  },
  {
    figure: '`check` × faster than `serf query` (medians)',
    unit: '×',
    at: 100,
    limit: atLeast(3),
    read: (m, at) => serfVsCheck(m, at, 'median'),
  },
  {
    figure: 'serf median ÷ worst `check`',
    unit: '×',
    at: 100,
    limit: atLeast(1),
    read: (m, at) => serfVsCheck(m, at, 'max'),
  },
  {
    figure: "core's decideAdmission per request (CPU time)",
    unit: 'µs',
    limit: atMost(100),
    read: (m) => m.admission && { value: m.admission.usPerCall.median },
  },
];
