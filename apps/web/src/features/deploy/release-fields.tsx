'use client';
import type { HostView } from '@serfbort/core';
import { useState } from 'react';
import { Field, Input, Select } from '@/components/ui/input';
import { Segmented } from '@/components/ui/segmented';
import { RolloutFields } from '@/features/rollout/rollout-fields';
import type { useRolloutBuilder } from '@/features/rollout/use-rollout-builder';
import { digestFile, EXPIRY_CHOICES } from './build-request';
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
      {draft.staged === 'once' ? <ArtifactField draft={draft} /> : null}
    </>
  );
}

/**
 * Pins the exact bytes: their SHA-256 and size go inside the signature, and hosts with
 * releases fetch and verify them. Pasted, or computed here from a file (it never leaves the browser).
 */
function ArtifactField({ draft }: { draft: DeployDraftState }) {
  const [reading, setReading] = useState(false);
  const verdict = draft.artifact;
  async function pick(file: File | undefined) {
    if (!file) return;
    setReading(true);
    try {
      const { sha256, size } = await digestFile(file);
      draft.setArtifactSha(sha256);
      draft.setArtifactSize(String(size));
    } finally {
      setReading(false);
    }
  }
  return (
    <div className="grid gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <Field
        label="Artifact SHA-256 (optional)"
        htmlFor="deploy-artifact-sha256"
        error={verdict && !verdict.ok ? verdict.reason : undefined}
        hint={reading ? 'computing the digest…' : 'paste it, or pick the file to compute it here'}
      >
        <Input
          id="deploy-artifact-sha256"
          value={draft.artifactSha}
          onChange={(e) => draft.setArtifactSha(e.target.value.trim().toLowerCase())}
          className="font-mono"
          autoComplete="off"
        />
      </Field>
      <Field label="Size in bytes" htmlFor="deploy-artifact-size">
        <Input
          id="deploy-artifact-size"
          value={draft.artifactSize}
          onChange={(e) => draft.setArtifactSize(e.target.value.trim())}
          inputMode="numeric"
          autoComplete="off"
        />
      </Field>
      <Field label="Artifact file" htmlFor="deploy-artifact-file">
        <Input
          id="deploy-artifact-file"
          type="file"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
      </Field>
    </div>
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
