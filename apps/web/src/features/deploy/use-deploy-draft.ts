'use client';
import { appName, checkVersion } from '@serfbort/core';
import { useState } from 'react';
import { artifactVerdict, EXPIRY_CHOICES } from './build-request';

export type Release = 'once' | 'rollout';

interface DraftParams {
  get(name: string): string | null;
}

/** What to deploy and how to release it, as typed so far, with each field's verdict. */
export function useDeployDraft(params: DraftParams) {
  const [app, setApp] = useState(params.get('app') ?? '');
  const [version, setVersion] = useState(params.get('version') ?? '');
  const [expect, setExpect] = useState('');
  const [lifetime, setLifetime] = useState<number>(EXPIRY_CHOICES[1].ms);
  const [artifactSha, setArtifactSha] = useState('');
  const [artifactSize, setArtifactSize] = useState('');
  const [staged, setStaged] = useState<Release>(params.get('rollout') ? 'rollout' : 'once');

  const appOk = appName.safeParse(app).success;
  const versionVerdict = version === '' ? null : checkVersion(version);
  const expectVerdict = expect === '' ? null : checkVersion(expect);
  // a single deploy may pin its bytes; a rollout's steps do not carry an artifact (yet)
  const artifact = staged === 'once' ? artifactVerdict(artifactSha, artifactSize) : null;
  const fieldsOk =
    appOk &&
    versionVerdict?.ok === true &&
    (expectVerdict === null || expectVerdict.ok) &&
    (artifact === null || artifact.ok);

  return {
    app,
    setApp,
    appOk,
    version,
    setVersion,
    versionVerdict,
    expect,
    setExpect,
    expectVerdict,
    lifetime,
    setLifetime,
    artifactSha,
    setArtifactSha,
    artifactSize,
    setArtifactSize,
    artifact,
    staged,
    setStaged,
    fieldsOk,
  };
}

export type DeployDraftState = ReturnType<typeof useDeployDraft>;
