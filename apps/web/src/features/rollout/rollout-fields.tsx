'use client';
import type { HostView } from '@serfbort/core';
import { Field, Input, Select } from '@/components/ui/input';
import { Segmented } from '@/components/ui/segmented';
import { HostPicker } from '@/features/deploy/host-picker';
import type { OptionErrors, RolloutDraft } from './rollout-draft';

/** The rollout builder's own fields: canary, batch, wait, budget, on failure, step timeout. */
export function RolloutFields({
  draft,
  onChange,
  errors,
  targetHosts,
}: {
  draft: RolloutDraft;
  onChange: (next: RolloutDraft) => void;
  errors: OptionErrors;
  targetHosts: HostView[];
}) {
  const set = <K extends keyof RolloutDraft>(k: K, v: RolloutDraft[K]) =>
    onChange({ ...draft, [k]: v });
  return (
    <fieldset className="grid gap-4 rounded-md border p-3" data-testid="rollout-fields">
      <legend className="px-1 text-[13px] font-medium">Rollout</legend>
      <div className="grid gap-2">
        <div className="flex items-center justify-between">
          <span className="text-[13px] font-medium">Canary first</span>
          <Segmented
            label="Canary"
            value={draft.canaryMode}
            onChange={(v) => set('canaryMode', v)}
            options={[
              { value: 'none', label: 'None' },
              { value: 'selector', label: 'By selector' },
              { value: 'hosts', label: 'Pick hosts' },
            ]}
          />
        </div>
        {draft.canaryMode === 'selector' ? (
          <Field
            label="Canary selector (among the target)"
            htmlFor="rollout-canary-selector"
            error={errors.canarySelector}
          >
            <Input
              id="rollout-canary-selector"
              value={draft.canarySelector}
              onChange={(e) => set('canarySelector', e.target.value)}
              placeholder="canary"
              className="font-mono"
              autoComplete="off"
            />
          </Field>
        ) : null}
        {draft.canaryMode === 'hosts' ? (
          <>
            <HostPicker
              hosts={targetHosts}
              selected={new Set(draft.canaryHosts)}
              onChange={(s) => set('canaryHosts', [...s].sort())}
            />
            {errors.canaryHosts ? <p className="text-xs text-bad">{errors.canaryHosts}</p> : null}
          </>
        ) : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Batch size"
          htmlFor="rollout-batch"
          error={errors.batch}
          hint="hosts, or 25% of the target"
        >
          <Input
            id="rollout-batch"
            value={draft.batch}
            onChange={(e) => set('batch', e.target.value)}
            className="font-mono"
            autoComplete="off"
          />
        </Field>
        <Field
          label="Wait between steps"
          htmlFor="rollout-wait"
          error={errors.wait}
          hint="after a step succeeds"
        >
          <Input
            id="rollout-wait"
            value={draft.wait}
            onChange={(e) => set('wait', e.target.value)}
            className="font-mono"
            autoComplete="off"
          />
        </Field>
        <Field
          label="Step timeout"
          htmlFor="rollout-step-timeout"
          error={errors.stepTimeout}
          hint="a host silent by then counts as failed"
        >
          <Input
            id="rollout-step-timeout"
            value={draft.stepTimeout}
            onChange={(e) => set('stepTimeout', e.target.value)}
            className="font-mono"
            autoComplete="off"
          />
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Failures allowed"
          htmlFor="rollout-max-failures"
          error={errors.maxFailures}
          hint="over the whole rollout; silent and rejected hosts count"
        >
          <Input
            id="rollout-max-failures"
            value={draft.maxFailures}
            onChange={(e) => set('maxFailures', e.target.value)}
            className="font-mono"
            autoComplete="off"
          />
        </Field>
        <Field label="When the budget is spent" htmlFor="rollout-on-failure">
          <Select
            id="rollout-on-failure"
            value={draft.onFailure}
            onChange={(e) => set('onFailure', e.target.value as RolloutDraft['onFailure'])}
          >
            <option value="rollback">halt and roll back</option>
            <option value="halt">halt</option>
          </Select>
        </Field>
      </div>
    </fieldset>
  );
}
