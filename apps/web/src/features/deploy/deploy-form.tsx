'use client';
import { RocketIcon } from 'lucide-react';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, useMemo, useState } from 'react';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { useFleet } from '@/features/fleet/fleet-context';
import { RolloutSignDialog } from '@/features/rollout/rollout-sign-dialog';
import { useRolloutBuilder } from '@/features/rollout/use-rollout-builder';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { AppField } from './app-field';
import { type PreparedRequest, prepareRequest } from './build-request';
import { FleetPrecheckAlert } from './fleet-precheck-alert';
import { ReleaseFields } from './release-fields';
import { PermissionAlert, ReviewRow } from './review-row';
import { SignDialog } from './sign-dialog';
import { TargetField } from './target-field';
import { TargetPreview } from './target-preview';
import { useDeployDraft } from './use-deploy-draft';
import { needsCosigning, useDeployPermission } from './use-deploy-permission';
import { useDeployTarget } from './use-deploy-target';
import { useFleetPrecheck } from './use-fleet-precheck';
import { useRecentDeployments } from './use-recent-deployments';
import { VersionField } from './version-field';
import { knownApps, versionSuggestions } from './version-suggestions';

/** One form for both tasks: a single deploy signs one request, a rollout one per step. */
export function DeployForm() {
  const params = useSearchParams();
  const { ready } = useHub();
  const { keyPair } = useKey();
  const fleet = useFleet();
  const recent = useRecentDeployments();
  const draft = useDeployDraft(params);
  const aim = useDeployTarget(params, fleet);
  const rollout = useRolloutBuilder(aim.matching);
  const [prepared, setPrepared] = useState<PreparedRequest | null>(null);
  const { app, version, expect } = draft;
  const target = aim.target;
  const apps = useMemo(() => knownApps(fleet.hosts, recent), [fleet.hosts, recent]);
  const suggestions = useMemo(
    () => versionSuggestions(app, recent, fleet.hosts),
    [app, recent, fleet.hosts],
  );
  const permission = useDeployPermission(app, draft.appOk, target, aim.matching);
  const typos = useFleetPrecheck(app, draft.appOk, target, fleet);
  // a typo stops the review before any bytes exist, as the CLI stops before signing
  const valid = draft.fieldsOk && target !== null && fleet.loaded && typos.blocking.length === 0;
  const propose = needsCosigning(permission);
  // a rollout step carries one signature: with a co-signing policy every step would be refused
  const rolloutOk = draft.staged !== 'rollout' || (rollout.valid && !propose);

  function review(e: FormEvent) {
    e.preventDefault();
    if (!valid || !target || !keyPair) return;
    const what = { app, version, target, ...(expect ? { expect } : {}) };
    if (draft.staged === 'rollout') {
      rollout.review({ ...what, keyId: keyPair.keyId });
      return;
    }
    const artifact = draft.artifact?.ok ? { artifact: draft.artifact.artifact } : {};
    setPrepared(
      prepareRequest(
        { ...what, ...artifact, lifetimeMs: draft.lifetime },
        keyPair.keyId,
        Date.now(),
      ),
    );
  }

  return (
    <div className="grid items-start gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <Card>
        <CardHeader
          icon={<RocketIcon />}
          title="New deployment"
          description="Every matching host runs its own configured deploy step for this version."
        />
        <CardBody>
          <form className="grid gap-4" onSubmit={review} data-testid="deploy-form">
            <AppField app={app} appOk={draft.appOk} apps={apps} onChange={draft.setApp} />
            <TargetField target={aim} fleet={fleet} />
            <VersionField
              version={version}
              verdict={draft.versionVerdict}
              suggestions={suggestions}
              onChange={draft.setVersion}
            />
            <ReleaseFields draft={draft} rollout={rollout} matching={aim.matching} />
            <FleetPrecheckAlert check={typos} />
            <PermissionAlert permission={permission} staged={draft.staged} />
            <ReviewRow
              staged={draft.staged}
              enabled={valid && !!keyPair && ready && rolloutOk}
              unlocked={!!keyPair}
              propose={propose}
            />
          </form>
        </CardBody>
      </Card>
      <TargetPreview
        app={app}
        target={target}
        matching={aim.matching}
        unknownNamed={aim.unknownNamed}
        staged={draft.staged}
        rollout={rollout}
        byName={fleet.byName}
      />
      <SignDialog
        prepared={prepared}
        propose={propose}
        hostCount={aim.matching.length}
        onClose={() => setPrepared(null)}
      />
      <RolloutSignDialog prepared={rollout.prepared} onClose={rollout.close} />
    </div>
  );
}
