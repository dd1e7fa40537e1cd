'use client';
import { plural } from '@serfbort/client';
import { Badge } from '@/components/ui/badge';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { EXPIRY_WARNING_MS } from '@/lib/trust/verify-trust';
import { formatTime, until } from '@/lib/utils';

function Expiry({ at }: { at: number }) {
  const left = at - Date.now();
  const tone = left <= 0 ? 'bad' : left < EXPIRY_WARNING_MS ? 'warn' : 'ok';
  return (
    <span className="flex flex-wrap items-center gap-2">
      {formatTime(at)}
      <Badge tone={tone}>{left <= 0 ? 'expired' : `expires ${until(at)}`}</Badge>
    </span>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] items-baseline gap-3 py-1.5">
      <dt className="text-[13px] text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-all">{children}</dd>
    </div>
  );
}

/** Root and keyring as verified in this browser (not as the hub claims them). */
export function TrustPanel() {
  const { trust } = useHub();
  const { file } = useKey();
  if (!trust)
    return <p className="text-sm text-muted-foreground">Waiting for the hub's trust documents…</p>;
  if (trust.status === 'no-root')
    return (
      <p className="text-sm text-muted-foreground">
        The hub holds no root document yet. An administrator publishes it with the keyring:{' '}
        <code className="font-mono">serfbort trust publish root.json keyring.json</code> (on a new
        installation <code className="font-mono">serfbort trust init</code> makes the root first;
        the demo made one in <code className="font-mono">.serfbort-demo/admin</code>).
      </p>
    );
  const root = trust.root?.root;
  const keyring = trust.keyring?.keyring;
  const me = keyring && file ? keyring.operators.find((o) => o.keyId === file.keyId) : undefined;
  return (
    <div className="grid gap-4">
      {trust.error ? (
        <p className="text-sm text-bad">
          ✗ {trust.error.code}: {trust.error.message}
        </p>
      ) : null}
      <dl className="divide-y">
        {root ? (
          <>
            <Row label="Root">
              <span data-testid="root-version">v{root.version}</span> · {root.threshold} of{' '}
              {plural(root.keys.length, 'key')} must sign
            </Row>
            <Row label="Root expires">
              <Expiry at={root.expiresAt} />
            </Row>
            <Row label="Pinned root">
              <span className="font-mono text-xs">{trust.pinnedDigest}</span>
              <span className="block text-xs text-muted-foreground">
                First root seen from this hub, remembered by this browser; later roots must chain
                from it.
              </span>
            </Row>
          </>
        ) : null}
        {keyring ? (
          <>
            <Row label="Keyring">
              <span data-testid="keyring-version">v{keyring.version}</span> ·{' '}
              {plural(keyring.operators.length, 'operator')}
              {Object.keys(keyring.policies).length > 0
                ? ` · policies: ${Object.entries(keyring.policies)
                    .map(([app, p]) => `${app} needs ${p.threshold}`)
                    .join(', ')}`
                : ''}
            </Row>
            <Row label="Keyring expires">
              <Expiry at={keyring.expiresAt} />
            </Row>
            <Row label="Your key">
              {me ? (
                <span className="flex flex-wrap gap-1.5">
                  <Badge tone="ok">listed as {me.name}</Badge>
                  <Badge tone="outline">apps: {me.apps.join(', ')}</Badge>
                  <Badge tone="outline">targets: {me.selectors.join(' | ')}</Badge>
                  {me.expiresAt ? (
                    <Badge tone="outline">until {formatTime(me.expiresAt)}</Badge>
                  ) : null}
                </span>
              ) : (
                <Badge tone="warn">not in this keyring</Badge>
              )}
            </Row>
          </>
        ) : (
          <Row label="Keyring">
            <Badge tone="warn">none published</Badge>
          </Row>
        )}
      </dl>
    </div>
  );
}
