import type { DeployRequest, RolloutStart, RolloutView } from '@serfbort/core';
import { canonicalBytes, utf8Decode } from '@serfbort/core';

interface StepLike {
  index: number;
  kind: string;
  hosts: readonly string[];
  version?: string;
}

const sortedHosts = (hosts: readonly string[]) => [...hosts].sort().join(',');
const canonical = (value: unknown) => utf8Decode(canonicalBytes(value));

/**
 * Why a signed request the hub holds for a step is not that step's, or null: the same
 * rollout, index, app, version, expected result and exactly the step's hosts. Resumed
 * drivers and watching dashboards both refuse to believe a step on another request.
 */
export function stepRequestMismatch(
  request: DeployRequest,
  rollout: Pick<RolloutView, 'id' | 'app' | 'version' | 'expect'> & { steps: readonly unknown[] },
  step: StepLike,
): string | null {
  if (request.rollout?.id !== rollout.id) return 'it belongs to another rollout';
  if (request.rollout.step !== step.index || request.rollout.steps !== rollout.steps.length)
    return 'it names another step';
  if (request.app !== rollout.app) return 'it is for another app';
  const hosts = 'hosts' in request.target ? sortedHosts(request.target.hosts) : '';
  if (hosts !== sortedHosts(step.hosts)) return "it targets other hosts than the step's";
  if (request.version !== (step.version ?? rollout.version)) return 'it deploys another version';
  // a rollback step goes back to an older version, whose result nobody promised
  if (step.kind !== 'rollback' && request.expect !== rollout.expect)
    return 'it expects another result';
  return null;
}

/**
 * Why the hub's record of a started rollout is not the plan this client asked for, or null.
 * Every later step is signed from that record, so a hub that changed it is refused.
 */
export function startedRolloutMismatch(start: RolloutStart, view: RolloutView): string | null {
  if (view.id !== start.id) return 'another rollout id';
  if (view.app !== start.app || view.version !== start.version) return 'another app or version';
  if (view.kind !== start.kind || (view.expect ?? null) !== (start.expect ?? null))
    return 'another kind or expected result';
  if (view.budget !== start.plan.budget || view.total !== start.plan.total)
    return 'another failure budget or host count';
  if (canonical(view.options) !== canonical(start.options)) return 'other options';
  const steps = (s: readonly StepLike[]) =>
    canonical(
      s.map((x) => ({
        index: x.index,
        kind: x.kind,
        hosts: [...x.hosts].sort(),
        version: x.version ?? null,
      })),
    );
  if (steps(view.steps) !== steps(start.plan.steps)) return 'other steps';
  return null;
}
