'use client';
import { EyeIcon, EyeOffIcon } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useHub } from '@/lib/hub/hub-context';
import { cn } from '@/lib/utils';

/**
 * "Watch only": paste the hub's viewer token to read the fleet, deployments, rollouts and
 * history without a key. The hub answers reads only; everything shown is still verified here.
 */
export function ViewerTokenForm({
  compact = false,
  showRefusal = true,
}: {
  compact?: boolean;
  /** off where the surrounding banner already says the hub refused */
  showRefusal?: boolean;
}) {
  const { viewer, setViewer, forgetViewer, auth } = useHub();
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const refused = auth.state === 'refused' && auth.as === 'viewer' ? auth : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const t = token.trim();
    if (t === '') return;
    setViewer(t, remember);
    setToken('');
  }

  if (viewer && !refused)
    return (
      <div className="grid gap-2 text-sm" data-testid="viewer-active">
        <p>
          {auth.state === 'viewer'
            ? 'Watching with the hub’s viewer token (read-only).'
            : 'A viewer token is set; it is used while no key is unlocked.'}{' '}
          {viewer.remembered
            ? 'It is remembered on this device until you stop watching.'
            : 'It is forgotten when this browser session ends.'}
        </p>
        <div>
          <Button size="sm" variant="outline" onClick={forgetViewer} data-testid="viewer-forget">
            <EyeOffIcon />
            Stop watching
          </Button>
        </div>
      </div>
    );

  return (
    <form onSubmit={submit} className={cn('grid gap-2', compact ? '' : 'max-w-md')}>
      <div className="flex flex-wrap items-start gap-2">
        <Input
          type="password"
          autoComplete="off"
          placeholder="Viewer token"
          aria-label="Viewer token"
          data-testid="viewer-token"
          value={token}
          aria-invalid={refused ? true : undefined}
          onChange={(e) => setToken(e.target.value)}
          className={cn('min-w-56 flex-1', compact ? 'h-8' : '')}
        />
        <Button
          type="submit"
          size={compact ? 'sm' : 'default'}
          variant="outline"
          disabled={token.trim() === ''}
          data-testid="viewer-submit"
        >
          <EyeIcon />
          Watch only
        </Button>
      </div>
      <label className="flex items-center gap-2 text-xs text-muted-foreground">
        <input
          type="checkbox"
          checked={remember}
          onChange={(e) => setRemember(e.target.checked)}
          data-testid="viewer-remember"
        />
        Remember on this device (a shared wall screen); otherwise the token is forgotten when the
        browser session ends.
      </label>
      {refused && showRefusal ? (
        <p className="text-xs text-bad" data-testid="viewer-refused">
          The hub refused the viewer token: {refused.message} ({refused.code}).
        </p>
      ) : null}
    </form>
  );
}
