'use client';
import type { OwnCheck } from '@serfbort/client';
import { buildCheckRequest, signCheckRequest } from '@serfbort/client';
import { appName, type CheckResult, parseSelector, signerFor } from '@serfbort/core';
import { type FormEvent, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { useParsedSelector } from '@/components/selector/selector-input';
import { rememberCheckedVersions } from '@/features/deploy/version-suggestions';
import { callWithTimeout } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useSigningKey } from '@/lib/keys/use-signing-key';
import { useRoster } from '@/lib/roster/roster-context';
import { useAgentKeys } from '@/lib/trust/agent-keys';
import { claimedHosts } from './claimed-hosts';
import { judgeAnswers, summarize } from './verify-check';

const CHECK_TIMEOUT_MS = 10_000;

export interface CheckRun {
  res: CheckResult;
  /** the version every host should run, as typed when the check ran */
  expected: string | null;
  /** the check request this browser signed (its nonce is ours, not the hub's) */
  own: OwnCheck | undefined;
}

/** The check form's fields, and running a check through the hub. */
export function useCheckRun() {
  const { socket } = useHub();
  const { lookup, refresh } = useAgentKeys();
  const { roster, refresh: refreshRoster } = useRoster();
  const memory = roster.state === 'ready' ? roster.memory : undefined;
  const { keyPair, mayNotSign } = useSigningKey();
  const [app, setApp] = useState('');
  const [selectorText, setSelectorText] = useState('');
  const [expected, setExpected] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CheckRun | null>(null);
  const parsed = useParsedSelector(selectorText);
  const valid = appName.safeParse(app).success && (parsed === null || parsed.ok);

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!socket || !valid) return;
    const forbidden = await mayNotSign();
    if (forbidden) {
      toast.error(`Check refused: ${forbidden.code} — ${forbidden.message}`);
      return;
    }
    setBusy(true);
    // answers from hosts approved since the page loaded must verify too
    await Promise.all([refresh(), refreshRoster()]);
    const target =
      selectorText.trim() && parseSelector(selectorText).ok
        ? { selector: selectorText.trim() }
        : undefined;
    const own = keyPair
      ? signCheckRequest(
          buildCheckRequest(
            { app, ...(target ? { target } : {}), timeoutMs: CHECK_TIMEOUT_MS },
            {
              now: () => Date.now(),
              randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
            },
          ),
          signerFor(keyPair),
        )
      : undefined;
    const ack = await callWithTimeout(socket, CHECK_TIMEOUT_MS + 5000, 'check:run', {
      app,
      ...(target ? { target } : {}),
      timeoutMs: CHECK_TIMEOUT_MS,
      ...(own ? { request: own.envelope } : {}),
    });
    setBusy(false);
    if (!ack.ok) {
      toast.error(`Check failed: ${ack.error.code} — ${ack.error.message}`);
      return;
    }
    setResult({ res: ack.data, expected: expected.trim() || null, own });
  }

  const summary = useMemo(() => {
    if (!result) return null;
    const hosts = claimedHosts(result.res, result.own);
    const rows = judgeAnswers(result.res, result.own, lookup, hosts, result.expected, memory);
    const s = summarize(rows, result.expected);
    rememberCheckedVersions(result.res.app, s.groups.map((g) => g.version).filter(Boolean));
    return s;
  }, [result, lookup, memory]);

  const fields = { app, setApp, selectorText, setSelectorText, parsed, expected, setExpected };
  return { fields, valid, busy, run, result, summary };
}

export type CheckFields = ReturnType<typeof useCheckRun>['fields'];
