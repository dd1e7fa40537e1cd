'use client';
import { appName, type CheckResult, parseSelector } from '@serfbort/core';
import { CheckCircle2Icon, ListChecksIcon, PlayIcon, ShieldXIcon, WifiOffIcon } from 'lucide-react';
import { type FormEvent, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { SelectorInput, useParsedSelector } from '@/components/selector/selector-input';
import { Page, RequireOperator } from '@/components/shell/page';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/input';
import { summarize, verifyAnswers } from '@/features/check/verify-check';
import { rememberCheckedVersions } from '@/features/deploy/version-suggestions';
import { useFleet } from '@/features/fleet/fleet-context';
import { callWithTimeout } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useAgentKeys } from '@/lib/trust/agent-keys';

const CHECK_TIMEOUT_MS = 10_000;

function HostList({ hosts }: { hosts: string[] }) {
  return (
    <p className="font-mono text-xs leading-5 break-words text-muted-foreground">
      {hosts.slice(0, 200).join(', ')}
      {hosts.length > 200 ? ` …and ${hosts.length - 200} more` : ''}
    </p>
  );
}

export default function CheckPage() {
  const { socket } = useHub();
  const fleet = useFleet();
  const { lookup, refresh } = useAgentKeys();
  const [app, setApp] = useState('');
  const [selectorText, setSelectorText] = useState('');
  const [expected, setExpected] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ res: CheckResult; expected: string | null } | null>(null);
  const parsed = useParsedSelector(selectorText);
  const apps = useMemo(
    () => [...new Set(fleet.hosts.flatMap((h) => Object.keys(h.apps)))].sort(),
    [fleet.hosts],
  );
  const valid = appName.safeParse(app).success && (parsed === null || parsed.ok);

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!socket || !valid) return;
    setBusy(true);
    await refresh();
    const target =
      selectorText.trim() && parseSelector(selectorText).ok
        ? { selector: selectorText.trim() }
        : undefined;
    const ack = await callWithTimeout(socket, CHECK_TIMEOUT_MS + 5000, 'check:run', {
      app,
      ...(target ? { target } : {}),
      timeoutMs: CHECK_TIMEOUT_MS,
    });
    setBusy(false);
    if (!ack.ok) {
      toast.error(`Check failed: ${ack.error.code} — ${ack.error.message}`);
      return;
    }
    setResult({ res: ack.data, expected: expected.trim() || null });
  }

  const summary = useMemo(() => {
    if (!result) return null;
    const verdicts = verifyAnswers(result.res, lookup);
    const s = summarize(result.res, verdicts, result.expected);
    rememberCheckedVersions(result.res.app, s.groups.map((g) => g.version).filter(Boolean));
    return s;
  }, [result, lookup]);

  return (
    <Page
      title="Check"
      description="Hosts run their version-report command now and answer with signed results, verified here."
    >
      <RequireOperator what="checks">
        <Card>
          <CardHeader icon={<ListChecksIcon />} title="Run a check" />
          <CardBody>
            <form
              onSubmit={run}
              className="grid items-start gap-3 md:grid-cols-[12rem_minmax(0,1fr)_12rem_auto]"
              data-testid="check-form"
            >
              <Field label="App" htmlFor="check-app">
                <Input
                  id="check-app"
                  list="check-apps"
                  value={app}
                  onChange={(e) => setApp(e.target.value.trim())}
                  placeholder="web"
                  autoComplete="off"
                />
                <datalist id="check-apps">
                  {apps.map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </Field>
              <Field label="Target (optional)">
                <SelectorInput
                  value={selectorText}
                  onChange={setSelectorText}
                  result={parsed}
                  placeholder="all hosts"
                />
              </Field>
              <Field label="Expected version (optional)" htmlFor="check-expected">
                <Input
                  id="check-expected"
                  value={expected}
                  onChange={(e) => setExpected(e.target.value.trim())}
                  className="font-mono"
                  autoComplete="off"
                />
              </Field>
              <Button
                type="submit"
                className="md:mt-[22px]"
                disabled={!valid || busy}
                data-testid="check-run"
              >
                <PlayIcon />
                {busy ? 'Checking…' : 'Run check'}
              </Button>
            </form>
          </CardBody>
        </Card>
        {summary && result ? (
          <div className="grid gap-4" data-testid="check-result">
            {result.expected !== null ? (
              summary.allOk ? (
                <Alert
                  tone="ok"
                  icon={<CheckCircle2Icon />}
                  title={`OK — every host runs ${result.expected}`}
                  data-testid="check-ok"
                >
                  {summary.groups.reduce((n, g) => n + g.hosts.length, 0)} signed answers verified.
                </Alert>
              ) : (
                <Alert
                  tone="bad"
                  title={`Not OK — ${summary.mismatched.length} mismatched, ${summary.unreachable.length} unreachable, ${summary.unverified.length} unverified`}
                  data-testid="check-not-ok"
                />
              )
            ) : null}
            {summary.unverified.length > 0 ? (
              <Alert
                tone="bad"
                icon={<ShieldXIcon />}
                title={`✗ ${summary.unverified.length} UNVERIFIED answer${summary.unverified.length === 1 ? '' : 's'} — not counted`}
              >
                {summary.unverified.map((u) => `${u.host}: ${u.why}`).join('; ')}
              </Alert>
            ) : null}
            <div className="grid gap-4 lg:grid-cols-2">
              <Card>
                <CardHeader
                  title="Versions"
                  description={`${result.res.app}: verified answers grouped by what hosts report`}
                />
                <ul className="divide-y">
                  {summary.groups.length === 0 ? (
                    <li className="px-4 py-3 text-sm text-muted-foreground">
                      No verified answers.
                    </li>
                  ) : null}
                  {summary.groups.map((g) => (
                    <li key={g.version} className="grid gap-1 px-4 py-3" data-testid="check-group">
                      <div className="flex items-center justify-between gap-2">
                        <code className="font-mono text-sm font-medium">
                          {g.version || '(no version)'}
                        </code>
                        <Badge
                          tone={
                            result.expected === null
                              ? 'neutral'
                              : g.version === result.expected
                                ? 'ok'
                                : 'warn'
                          }
                        >
                          {g.hosts.length} host{g.hosts.length === 1 ? '' : 's'}
                        </Badge>
                      </div>
                      <HostList hosts={g.hosts} />
                    </li>
                  ))}
                </ul>
              </Card>
              <div className="grid content-start gap-4">
                {summary.mismatched.length > 0 ? (
                  <Card>
                    <CardHeader
                      title={`Mismatched (${summary.mismatched.length})`}
                      description={`not on ${result.expected}`}
                    />
                    <ul className="divide-y text-sm" data-testid="check-mismatched">
                      {summary.mismatched.map((m) => (
                        <li key={m.host} className="flex justify-between px-4 py-1.5">
                          <span>{m.host}</span>
                          <code className="font-mono text-xs">{m.version ?? '—'}</code>
                        </li>
                      ))}
                    </ul>
                  </Card>
                ) : null}
                <Card>
                  <CardHeader
                    icon={<WifiOffIcon />}
                    title={`Unreachable (${summary.unreachable.length})`}
                    description="offline, or no answer in time"
                  />
                  <CardBody data-testid="check-unreachable">
                    {summary.unreachable.length === 0 ? (
                      <p className="text-sm text-muted-foreground">Every targeted host answered.</p>
                    ) : (
                      <HostList hosts={summary.unreachable} />
                    )}
                  </CardBody>
                </Card>
                {summary.notConfigured.length > 0 || summary.errors.length > 0 ? (
                  <Card>
                    <CardHeader title="Other answers" />
                    <CardBody className="grid gap-2 text-sm">
                      {summary.notConfigured.length > 0 ? (
                        <p>App not configured on: {summary.notConfigured.join(', ')}</p>
                      ) : null}
                      {summary.errors.map((e) => (
                        <p key={e.host} className="text-bad">
                          {e.host}: {e.error}
                        </p>
                      ))}
                    </CardBody>
                  </Card>
                ) : null}
              </div>
            </div>
          </div>
        ) : null}
      </RequireOperator>
    </Page>
  );
}
