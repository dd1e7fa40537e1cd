'use client';
import { plural } from '@serfbort/client';
import { TriangleAlertIcon } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { FleetPrecheck } from './use-fleet-precheck';

/** What the hub's fleet view says is wrong with the target or app, before anything is signed. */
export function FleetPrecheckAlert({ check }: { check: FleetPrecheck }) {
  const shown = [...check.blocking, ...check.warnings];
  if (shown.length === 0 && !check.allowUnknown) return null;
  const refused = check.blocking.length > 0;
  return (
    <Alert
      tone={refused ? 'bad' : 'warn'}
      icon={<TriangleAlertIcon />}
      title={
        refused
          ? `Nothing will be signed: ${plural(check.blocking.length, 'problem')} with this target`
          : shown.length > 0
            ? 'Signing anyway: the hub does not know all of this'
            : 'Unknown hosts and apps will only warn'
      }
      data-testid="fleet-precheck"
    >
      <ul className="grid gap-1">
        {shown.map((r) => (
          <li key={`${r.code}:${r.detail}`} data-code={r.code} data-testid="fleet-refusal">
            <code className="font-mono text-xs">{r.code}</code> {r.detail}
          </li>
        ))}
      </ul>
      {check.overridable || check.allowUnknown ? (
        <label className="mt-2 flex items-center gap-2 text-[13px]">
          <input
            type="checkbox"
            checked={check.allowUnknown}
            onChange={(e) => check.setAllowUnknown(e.target.checked)}
            data-testid="allow-unknown"
          />
          Sign anyway for host names and apps the hub does not know yet (a host that has not
          connected, an app being added)
        </label>
      ) : null}
    </Alert>
  );
}
