'use client';
import type { HostView } from '@serfbort/core';
import { Field, Input, Select } from '@/components/ui/input';
import { Segmented } from '@/components/ui/segmented';
import { RolloutFields } from '@/features/rollout/rollout-fields';
import type { useRolloutBuilder } from '@/features/rollout/use-rollout-builder';
import { EXPIRY_CHOICES } from './build-request';
import type { DeployDraftState } from './use-deploy-draft';

type RolloutBuilder = ReturnType<typeof useRolloutBuilder>;

/** How the version goes out: to every host at once, or as a rollout in steps. */
export function ReleaseFields({
  draft,
  rollout,
  matching,
}: {
  draft: DeployDraftState;
  rollout: RolloutBuilder;
  matching: HostView[];
}) {
  return (
    <>
      <div className="flex items-center justify-between">
        <span className="text-[13px] font-medium">Release</span>
        <Segmented
          label="Release"
          value={draft.staged}
          onChange={draft.setStaged}
          options={[
            { value: 'once', label: 'All at once' },
            { value: 'rollout', label: 'Rollout in steps' },
          ]}
        />
      </div>
      {draft.staged === 'rollout' ? (
        <RolloutFields
          draft={rollout.draft}
          onChange={rollout.setDraft}
          errors={rollout.errors}
          targetHosts={matching}
        />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {draft.staged === 'once' ? <ExpiryField draft={draft} /> : null}
        <ExpectField draft={draft} />
      </div>
    </>
  );
}

/** A single deploy's request lifetime; a rollout sets one per step instead. */
function ExpiryField({ draft }: { draft: DeployDraftState }) {
  return (
    <Field
      label="Request expires after"
      htmlFor="deploy-expiry"
      hint="Hosts offline until then get it when they return."
    >
      <Select
        id="deploy-expiry"
        value={draft.lifetime}
        onChange={(e) => draft.setLifetime(Number(e.target.value))}
      >
        {EXPIRY_CHOICES.map((c) => (
          <option key={c.ms} value={c.ms}>
            {c.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

function ExpectField({ draft }: { draft: DeployDraftState }) {
  const verdict = draft.expectVerdict;
  return (
    <Field
      label="Expected result (optional)"
      htmlFor="deploy-expect"
      error={verdict && !verdict.ok ? verdict.reason : undefined}
      hint="e.g. the commit the tag must resolve to."
    >
      <Input
        id="deploy-expect"
        value={draft.expect}
        onChange={(e) => draft.setExpect(e.target.value.trim())}
        className="font-mono"
        autoComplete="off"
      />
    </Field>
  );
}
