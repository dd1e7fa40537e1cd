import type { AgentToHubEvents, OperatorToHubEvents } from './events.js';

/*
 * The event names a client may send, once, at run time: the hub answers these and
 * counts anything else. The checks below fail to compile when a list and its event
 * map disagree, so a new event is added to the map and here together.
 */
export const AGENT_TO_HUB_EVENTS = [
  'auth:challenge',
  'auth:hello',
  'presence',
  'deploy:progress',
  'deploy:receipt',
  'leave',
  'trust:report',
  'agent:head',
] as const satisfies readonly (keyof AgentToHubEvents)[];

export const OPERATOR_TO_HUB_EVENTS = [
  'auth:challenge',
  'auth:hello',
  'trust:get',
  'trust:publish',
  'hosts:list',
  'hosts:subscribe',
  'deploy:submit',
  'deploy:watch',
  'deploy:unwatch',
  'deploy:list',
  'deploy:stats',
  'check:run',
  'agents:pending',
  'agents:approve',
  'agents:grant',
  'agents:keys',
  'audit:verify',
  'rollout:start',
  'rollout:resume',
  'rollout:control',
  'rollout:watch',
  'rollout:list',
  'rollouts:subscribe',
  'lock:status',
  'lock:release',
  'audit:head',
  'audit:rows',
  'hosts:history',
  'hosts:heads',
  'proposal:create',
  'proposal:list',
  'proposal:get',
  'proposal:sign',
  'proposal:withdraw',
] as const satisfies readonly (keyof OperatorToHubEvents)[];

type Unlisted<Map, List extends readonly string[]> = Exclude<keyof Map, List[number]>;
const complete = <T extends never>(): T | undefined => undefined;
complete<Unlisted<AgentToHubEvents, typeof AGENT_TO_HUB_EVENTS>>();
complete<Unlisted<OperatorToHubEvents, typeof OPERATOR_TO_HUB_EVENTS>>();
