import type { AgentToHubEvents, OperatorToHubEvents } from '@serfbort/core';

/** Every event the contract lets a client send; anything else is counted and ignored. */
export const AGENT_EVENTS = new Set<string>([
  'auth:challenge',
  'auth:hello',
  'presence',
  'deploy:progress',
  'deploy:receipt',
  'leave',
] satisfies (keyof AgentToHubEvents)[]);

export const OPERATOR_EVENTS = new Set<string>([
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
] satisfies (keyof OperatorToHubEvents)[]);
