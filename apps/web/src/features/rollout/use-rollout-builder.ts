'use client';
import type { HostView, Target } from '@serfbort/core';
import { useMemo, useState } from 'react';
import { newRequestId } from '@/lib/crypto';
import {
  DEFAULT_DRAFT,
  type PreparedRollout,
  parseRolloutOptions,
  prepareRollout,
  previewPlan,
  type RolloutDraft,
  rolloutStartOf,
} from './rollout-draft';

/** The builder's state and its live plan against the hosts the target matches now. */
export function useRolloutBuilder(matching: HostView[]) {
  const [draft, setDraft] = useState<RolloutDraft>(DEFAULT_DRAFT);
  const [prepared, setPrepared] = useState<PreparedRollout | null>(null);
  const parsed = useMemo(() => parseRolloutOptions(draft), [draft]);
  const plan = useMemo(
    () =>
      previewPlan(
        matching.map((h) => ({ name: h.name, labels: h.labels })),
        parsed,
      ),
    [matching, parsed],
  );

  /** freezes the plan and step 1 as they are now: the dialog shows them, the driver keeps to them */
  function review(input: {
    app: string;
    version: string;
    target: Target;
    expect?: string;
    keyId: string;
  }): boolean {
    if (!parsed.ok || !plan?.ok) return false;
    const start = rolloutStartOf({
      id: newRequestId(),
      app: input.app,
      version: input.version,
      target: input.target,
      ...(input.expect ? { expect: input.expect } : {}),
      options: parsed.options,
      plan: plan.plan,
    });
    setPrepared(prepareRollout(start, input.keyId, newRequestId(), Date.now()));
    return true;
  }

  return {
    draft,
    setDraft,
    errors: parsed.ok ? {} : parsed.errors,
    waitMs: parsed.ok ? parsed.options.waitMs : null,
    plan,
    valid: parsed.ok && plan?.ok === true,
    prepared,
    review,
    close: () => setPrepared(null),
  };
}
