'use client';
import { GitForkIcon, WifiOffIcon } from 'lucide-react';
import Link from 'next/link';
import type { ReactElement } from 'react';
import { Alert } from '@/components/ui/alert';
import { type HubState, useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { type AuditHeadState, useAuditHead } from '@/lib/roster/audit-head-context';
import { type HeldHub, useRoster } from '@/lib/roster/roster-context';
import { keyBanner } from './key-banner';
import { trustBanner } from './trust-banner';

/** The one most important thing standing between the operator and a deploy. */
export function StateBanner() {
  const hub = useHub();
  const key = useKey();
  const { audit } = useAuditHead();
  const { hub: held } = useRoster();
  const banners = [
    hubBanner(hub),
    trustBanner(hub.trust),
    renamedBanner(held, hub.hubUrl),
    auditBanner(audit),
    keyBanner(key.status, hub),
  ].filter((b) => b !== null);
  if (banners.length === 0) return null;
  return <div className="grid gap-2 px-6 pt-4">{banners}</div>;
}

/** A hub at a known URL that calls itself by another id is held to what was seen first. */
function renamedBanner(held: HeldHub | null, hubUrl: string): ReactElement | null {
  if (!held?.changedFrom) return null;
  return (
    <Alert
      key="renamed"
      tone="bad"
      title="This hub changed its id"
      data-testid="banner-hub-renamed"
    >
      The hub at <span className="font-mono">{hubUrl}</span> now calls itself{' '}
      <span className="font-mono">{held.presented}</span>; this browser knew it as{' '}
      <span className="font-mono">{held.changedFrom}</span> and holds it to that roster and audit
      head.
    </Alert>
  );
}

/**
 * Everywhere, as the CLI refuses every command: the hub's history was rewritten or
 * forked, or is withheld after it was served; nothing is signed for the hub meanwhile.
 */
function auditBanner(audit: AuditHeadState): ReactElement | null {
  if (audit.state !== 'forked' && audit.state !== 'withheld') return null;
  const forked = audit.state === 'forked';
  return (
    <Alert
      key="audit"
      tone="bad"
      icon={<GitForkIcon />}
      title={
        forked
          ? "AUDIT_FORKED — this hub's history was rewritten or forked"
          : 'AUDIT_WITHHELD — this hub no longer serves the history it served before'
      }
      data-testid={forked ? 'banner-audit-forked' : 'banner-audit-withheld'}
    >
      {forked
        ? 'Its audit chain does not extend the head this browser verified last.'
        : 'It served this browser its audit head before and now withholds it.'}{' '}
      Nothing is signed for this hub until you accept its history on purpose on the{' '}
      <Link href="/history" prefetch={false} className="underline">
        History
      </Link>{' '}
      page.
    </Alert>
  );
}

function hubBanner({
  hubUrl,
  allowedOrigins,
  connection,
  attempts,
}: HubState): ReactElement | null {
  if (connection === 'connected' || (connection !== 'reconnecting' && attempts <= 0)) return null;
  return (
    <Alert
      key="hub"
      tone="bad"
      icon={<WifiOffIcon />}
      title="Hub unreachable — reconnecting…"
      data-testid="banner-hub-unreachable"
    >
      Cannot reach <span className="font-mono">{hubUrl}</span>
      {attempts > 1 ? ` (attempt ${attempts})` : ''}. Nothing is lost: deploys already signed keep
      running on the hosts, and this page catches up when the hub is back.
      {!allowedOrigins.includes(hubUrl)
        ? ' This URL is not in the page’s Content-Security-Policy, so the browser blocks it.'
        : ''}
    </Alert>
  );
}
