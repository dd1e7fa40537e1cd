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
  const textOption = (name: TextOption, id: string, label: string, more: OptionText) => (
    <OptionField
      id={id}
      label={label}
      {...more}
      error={errors[name]}
      value={draft[name]}
      onChange={(v) => set(name, v)}
    />
  );
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
        {draft.canaryMode === 'selector'
          ? textOption(
              'canarySelector',
              'rollout-canary-selector',
              'Canary selector (among the target)',
              {
                placeholder: 'canary',
              },
            )
          : null}
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
        {textOption('batch', 'rollout-batch', 'Batch size', {
          hint: 'hosts, or 25% of the target',
        })}
        {textOption('wait', 'rollout-wait', 'Wait between steps', {
          hint: 'after a step succeeds',
        })}
        {textOption('stepTimeout', 'rollout-step-timeout', 'Step timeout', {
          hint: 'a host silent by then counts as failed',
        })}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {textOption('maxFailures', 'rollout-max-failures', 'Failures allowed', {
          hint: 'over the whole rollout; silent and rejected hosts count',
        })}
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

type TextOption = 'canarySelector' | 'batch' | 'wait' | 'maxFailures' | 'stepTimeout';
type OptionText = { hint?: string; placeholder?: string };

/** One typed-in option: monospace, no autofill, its rule's error under it. */
function OptionField({
  id,
  label,
  hint,
  placeholder,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  error: string | undefined;
  value: string;
  onChange: (value: string) => void;
} & OptionText) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        className="font-mono"
        autoComplete="off"
      />
    </Field>
  );
}
