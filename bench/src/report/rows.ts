import type { FloorResult } from '../floor/run-floor.js';
import type { SerfResult } from '../serf/run-serf.js';
import type { Row } from './table.js';

export function floorRows(floor: ReadonlyMap<number, FloorResult>): Row[] {
  return [...floor.values()].flatMap((f) => [
    { part: 'floor', metric: 'fan-out → all acks', n: f.n, unit: 'ms', value: f.fanoutMs },
    {
      part: 'floor',
      metric: 'server CPU per fan-out',
      n: f.n,
      unit: 'ms',
      value: f.serverCpuMsPerFanout,
    },
    {
      part: 'floor',
      metric: 'server RSS per connection',
      n: f.n,
      unit: 'KB',
      value: f.rssPerConnectionBytes,
    },
    {
      part: 'floor',
      metric: 'connections per second',
      n: f.n,
      unit: '/s',
      value: f.connectionsPerSecond,
    },
  ]);
}

export function serfRows(serf: ReadonlyMap<number, SerfResult>): Row[] {
  return [...serf.values()].flatMap((s) => [
    { part: 'serf', metric: 'serf query → last response', n: s.n, unit: 'ms', value: s.queryMs },
    { part: 'serf', metric: '… after "dispatched"', n: s.n, unit: 'ms', value: s.afterDispatchMs },
  ]);
}
