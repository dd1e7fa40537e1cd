'use client';
import type { HistoryVerdict } from '@serfbort/client';
import { describeProblem, verifyHistory } from '@serfbort/client';
import { useEffect, useState } from 'react';
import { browserVerifier } from '@/lib/crypto';
import { call } from '@/lib/hub/call';
import { useHub } from '@/lib/hub/hub-context';
import { useRoster } from '@/lib/roster/roster-context';
import { loadReceiptHeads, saveReceiptHead } from '@/lib/roster/roster-store';
import { useAgentKeys } from '@/lib/trust/agent-keys';

/** receipts checked in the host panel; the CLI's `history` goes further back */
const PANEL_RECEIPTS = 50;

const TEXT: Record<HistoryVerdict['status'], string> = {
  intact: 'intact',
  broken: 'BROKEN',
  unproven: 'not proven',
};

/**
 * The host's receipt chain, verified in this browser: numbered receipts each linking to the
 * one before, up to the freshest head the agent signed. What the hub hid is named.
 */
export function ChainStatus({ host, online }: { host: string; online: boolean }) {
  const { socket, ready } = useHub();
  const { lookup, version } = useAgentKeys();
  const { roster } = useRoster();
  // the head verified here before is kept only where the roster is (trust verified here)
  const memoryHub = roster.state === 'ready' ? roster.hubId : null;
  const [verdict, setVerdict] = useState<HistoryVerdict | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks newly verified keys
  useEffect(() => {
    if (!socket || !ready) return;
    let current = true;
    void (async () => {
      const [ack, held] = await Promise.all([
        call(socket, 'hosts:history', { host, limit: PANEL_RECEIPTS }),
        memoryHub ? loadReceiptHeads(memoryHub) : undefined,
      ]);
      if (!current || !ack.ok) return;
      const key = lookup(host);
      const remembered = held?.ok ? held.heads[host] : undefined;
      const v = verifyHistory({
        host,
        receipts: ack.data.receipts,
        hello: ack.data.hello,
        head: ack.data.head,
        freshness: { online, now: Date.now() },
        limit: PANEL_RECEIPTS,
        agentKeys: new Map(key.ok ? [[host, key.key]] : []),
        verifier: browserVerifier,
        ...(remembered ? { remembered } : {}),
      });
      setVerdict(v);
      if (memoryHub && held?.ok && v.remember) await saveReceiptHead(memoryHub, host, v.remember);
    })();
    return () => {
      current = false;
    };
  }, [socket, ready, host, version, online, memoryHub]);

  if (!verdict) return null;
  const tone =
    verdict.status === 'intact'
      ? 'text-ok'
      : verdict.status === 'broken'
        ? 'text-bad'
        : 'text-warn';
  return (
    <section className="grid gap-1.5" data-testid="chain-status">
      <h3 className="text-xs font-medium text-muted-foreground uppercase">Receipt chain</h3>
      <p className={`text-xs ${tone}`}>
        {TEXT[verdict.status]}
        {verdict.head ? ` · agent's signed head: receipt ${verdict.head.seq}` : ''}
      </p>
      {verdict.problems.map((p) => (
        <p key={describeProblem(p)} className="text-xs text-bad">
          {describeProblem(p)}
        </p>
      ))}
    </section>
  );
}
