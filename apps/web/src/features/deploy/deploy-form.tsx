'use client';
import {
  appName,
  authorize,
  checkVersion,
  type DeploymentSummary,
  matchesSelector,
  type Target,
} from '@serfbort/core';
import { EyeIcon, RocketIcon, ShieldAlertIcon } from 'lucide-react';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { SelectorInput, useParsedSelector } from '@/components/selector/selector-input';
import { Alert } from '@/components/ui/alert';
import { LabelChip } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/input';
import { Segmented } from '@/components/ui/segmented';
import { PresenceDot } from '@/components/ui/state-badge';
import { useFleet } from '@/features/fleet/fleet-context';
import { AppLockNotice } from '@/features/rollout/app-lock';
import { RolloutFields } from '@/features/rollout/rollout-fields';
import { RolloutPreview } from '@/features/rollout/rollout-preview';
import { RolloutSignDialog } from '@/features/rollout/rollout-sign-dialog';
import { useRolloutBuilder } from '@/features/rollout/use-rollout-builder';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { EXPIRY_CHOICES, type PreparedRequest, prepareRequest } from './build-request';
import { HostPicker } from './host-picker';
import { SignDialog } from './sign-dialog';
import { knownApps, versionSuggestions } from './version-suggestions';

const PREVIEW_ROWS = 100;

export function DeployForm() {
  const params = useSearchParams();
  const { socket, ready, session, trust } = useHub();
  const { keyPair, file } = useKey();
  const fleet = useFleet();
  const [app, setApp] = useState(params.get('app') ?? '');
  const [mode, setMode] = useState<'selector' | 'hosts'>(
    params.get('hosts') ? 'hosts' : 'selector',
  );
  const [selectorText, setSelectorText] = useState(params.get('selector') ?? '');
  const [picked, setPicked] = useState<Set<string>>(
    () => new Set((params.get('hosts') ?? '').split(',').filter(Boolean)),
  );
  const [version, setVersion] = useState(params.get('version') ?? '');
  const [lifetime, setLifetime] = useState<number>(EXPIRY_CHOICES[1].ms);
  const [expect, setExpect] = useState('');
  const [recent, setRecent] = useState<DeploymentSummary[]>([]);
  const [prepared, setPrepared] = useState<PreparedRequest | null>(null);
  const [staged, setStaged] = useState<'once' | 'rollout'>(
    params.get('rollout') ? 'rollout' : 'once',
  );
  const parsed = useParsedSelector(selectorText);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    if (!socket || !ready) return;
    void call(socket, 'deploy:list', { limit: 100 }).then((ack) => ack.ok && setRecent(ack.data));
  }, [socket, ready, session]);

  const apps = useMemo(() => knownApps(fleet.hosts, recent), [fleet.hosts, recent]);
  const suggestions = useMemo(
    () => versionSuggestions(app, recent, fleet.hosts),
    [app, recent, fleet.hosts],
  );
  const matching = useMemo(() => {
    if (mode === 'hosts') return fleet.hosts.filter((h) => picked.has(h.name));
    if (!parsed?.ok) return [];
    return fleet.hosts.filter((h) => matchesSelector(parsed.selector, h.labels));
  }, [mode, picked, parsed, fleet.hosts]);

  const rollout = useRolloutBuilder(matching);
  const target: Target | null =
    mode === 'selector'
      ? parsed?.ok
        ? { selector: selectorText.trim() }
        : null
      : picked.size > 0
        ? { hosts: [...picked].sort() }
        : null;
  const appOk = appName.safeParse(app).success;
  const versionVerdict = version === '' ? null : checkVersion(version);
  const expectVerdict = expect === '' ? null : checkVersion(expect);
  const valid =
    appOk &&
    target !== null &&
    versionVerdict?.ok === true &&
    (expectVerdict === null || expectVerdict.ok);

  // the same rule the hub and agents apply, so the operator hears "no" before signing
  const permission = useMemo(() => {
    if (!trust?.keyring || !file || !target || !appOk) return null;
    return authorize(trust.keyring.keyring, {
      app,
      target,
      signers: [file.keyId],
      now: Date.now(),
      hosts: matching.map((h) => ({ name: h.name, labels: h.labels })),
    });
  }, [trust, file, target, app, appOk, matching]);

  const unknownNamed = mode === 'hosts' ? [...picked].filter((n) => !fleet.byName.has(n)) : [];
  const offline = matching.filter((h) => h.state !== 'online').length;

  function review(e: FormEvent) {
    e.preventDefault();
    if (!valid || !target || !keyPair) return;
    if (staged === 'rollout') {
      rollout.review({ app, version, target, keyId: keyPair.keyId, ...(expect ? { expect } : {}) });
      return;
    }
    setPrepared(
      prepareRequest(
        { app, version, target, lifetimeMs: lifetime, ...(expect ? { expect } : {}) },
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
            <Field
              label="App"
              htmlFor="deploy-app"
              error={app !== '' && !appOk ? 'an app name: a-z first, then a-z 0-9 _ -' : undefined}
            >
              <Input
                id="deploy-app"
                list="deploy-apps"
                value={app}
                onChange={(e) => setApp(e.target.value.trim())}
                placeholder="web"
                autoComplete="off"
              />
              <datalist id="deploy-apps">
                {apps.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </Field>
            {appOk ? <AppLockNotice app={app} /> : null}
            <div className="grid gap-2">
              <div className="flex items-center justify-between">
                <span className="text-[13px] font-medium">Target</span>
                <Segmented
                  label="Target by"
                  value={mode}
                  onChange={setMode}
                  options={[
                    { value: 'selector', label: 'Label selector' },
                    { value: 'hosts', label: 'Pick hosts' },
                  ]}
                />
              </div>
              {mode === 'selector' ? (
                <SelectorInput
                  id="deploy-selector"
                  value={selectorText}
                  onChange={setSelectorText}
                  result={parsed}
                  placeholder="role=web"
                />
              ) : (
                <HostPicker hosts={fleet.hosts} selected={picked} onChange={setPicked} />
              )}
            </div>
            <Field
              label="Version"
              htmlFor="deploy-version"
              error={versionVerdict && !versionVerdict.ok ? versionVerdict.reason : undefined}
              hint="A tag, branch or commit; it becomes one argument of the host's deploy command."
            >
              <Input
                id="deploy-version"
                list="deploy-versions"
                value={version}
                onChange={(e) => setVersion(e.target.value.trim())}
                placeholder="v1.4.2"
                autoComplete="off"
                className="font-mono"
              />
              <datalist id="deploy-versions">
                {suggestions.map((s) => (
                  <option key={s.version} value={s.version}>
                    {s.source}
                  </option>
                ))}
              </datalist>
            </Field>
            {suggestions.length > 0 ? (
              <div className="-mt-2 flex flex-wrap gap-1">
                {suggestions.slice(0, 8).map((s) => (
                  <button
                    key={s.version}
                    type="button"
                    title={s.source}
                    onClick={() => setVersion(s.version)}
                    className="rounded border bg-muted/50 px-1.5 font-mono text-[11.5px] leading-5 hover:bg-accent"
                  >
                    {s.version}
                  </button>
                ))}
              </div>
            ) : null}
            <div className="flex items-center justify-between">
              <span className="text-[13px] font-medium">Release</span>
              <Segmented
                label="Release"
                value={staged}
                onChange={setStaged}
                options={[
                  { value: 'once', label: 'All at once' },
                  { value: 'rollout', label: 'Rollout in steps' },
                ]}
              />
            </div>
            {staged === 'rollout' ? (
              <RolloutFields
                draft={rollout.draft}
                onChange={rollout.setDraft}
                errors={rollout.errors}
                targetHosts={matching}
              />
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              {staged === 'once' ? (
                <Field
                  label="Request expires after"
                  htmlFor="deploy-expiry"
                  hint="Hosts offline until then get it when they return."
                >
                  <Select
                    id="deploy-expiry"
                    value={lifetime}
                    onChange={(e) => setLifetime(Number(e.target.value))}
                  >
                    {EXPIRY_CHOICES.map((c) => (
                      <option key={c.ms} value={c.ms}>
                        {c.label}
                      </option>
                    ))}
                  </Select>
                </Field>
              ) : null}
              <Field
                label="Expected result (optional)"
                htmlFor="deploy-expect"
                error={expectVerdict && !expectVerdict.ok ? expectVerdict.reason : undefined}
                hint="e.g. the commit the tag must resolve to."
              >
                <Input
                  id="deploy-expect"
                  value={expect}
                  onChange={(e) => setExpect(e.target.value.trim())}
                  className="font-mono"
                  autoComplete="off"
                />
              </Field>
            </div>
            {permission && !permission.ok ? (
              <Alert
                tone="warn"
                icon={<ShieldAlertIcon />}
                title={`Hosts will refuse this: ${permission.reason}`}
              >
                {permission.detail}. The keyring decides what your key may deploy and where.
              </Alert>
            ) : null}
            <div className="flex items-center gap-3">
              <Button
                type="submit"
                disabled={!valid || !keyPair || !ready || (staged === 'rollout' && !rollout.valid)}
                data-testid="review-deploy"
              >
                <EyeIcon />
                {staged === 'rollout' ? 'Review rollout…' : 'Review and sign…'}
              </Button>
              {!keyPair ? (
                <span className="text-xs text-muted-foreground">Unlock your key to sign.</span>
              ) : null}
            </div>
          </form>
        </CardBody>
      </Card>
      <Card className="flex min-h-0 flex-col">
        <CardHeader
          title={
            <span data-testid="preview-count">
              {matching.length} matching host{matching.length === 1 ? '' : 's'}
            </span>
          }
          description={
            target
              ? `${offline} offline now; they get the request when they reconnect, until it expires.`
              : 'Enter a selector or pick hosts to preview the target.'
          }
        />
        <div className="max-h-[32rem] overflow-auto">
          {staged === 'rollout' && target ? (
            <RolloutPreview
              plan={rollout.plan}
              byName={fleet.byName}
              waitMs={rollout.waitMs}
              app={app}
            />
          ) : null}
          {unknownNamed.length > 0 ? (
            <p className="px-4 py-2 text-xs text-warn">
              Unknown to the hub: {unknownNamed.join(', ')}
            </p>
          ) : null}
          <ul className={staged === 'rollout' ? 'hidden' : 'divide-y'} data-testid="preview-hosts">
            {matching.slice(0, PREVIEW_ROWS).map((h) => (
              <li key={h.name} className="flex items-center gap-2.5 px-4 py-2 text-sm">
                <PresenceDot state={h.state} />
                <span className="font-medium">{h.name}</span>
                <span className="flex flex-wrap gap-1">
                  {Object.entries(h.labels).map(([k, v]) => (
                    <LabelChip key={k} k={k} v={v} />
                  ))}
                </span>
                <span className="ml-auto font-mono text-xs text-muted-foreground">
                  {app && h.apps[app] ? (h.apps[app]?.version ?? '—') : ''}
                </span>
              </li>
            ))}
          </ul>
          {staged === 'once' && matching.length > PREVIEW_ROWS ? (
            <p className="px-4 py-2 text-xs text-muted-foreground">
              …and {matching.length - PREVIEW_ROWS} more
            </p>
          ) : null}
        </div>
      </Card>
      <SignDialog
        prepared={prepared}
        hostCount={matching.length}
        onClose={() => setPrepared(null)}
      />
      <RolloutSignDialog prepared={rollout.prepared} onClose={rollout.close} />
    </div>
  );
}
