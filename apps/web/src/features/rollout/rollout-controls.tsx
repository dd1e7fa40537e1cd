'use client';
import type { RolloutStatus, RolloutView } from '@serfbort/core';
import { OctagonXIcon, PauseIcon, PlayIcon, RotateCcwIcon, StepForwardIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { HubRefusal, must } from './hub-calls';
import { useRolloutDriver } from './rollout-driver';

const ROLLABLE: readonly RolloutStatus[] = ['halted', 'aborted', 'succeeded'];

/** Pause, resume, abort; roll back an ended rollout; resume here one whose driver went away. */
export function RolloutControls({ view }: { view: RolloutView }) {
  const { socket, ready, auth } = useHub();
  const { keyPair } = useKey();
  const driver = useRolloutDriver();
  const [busy, setBusy] = useState(false);
  const here = driver.active.has(view.id);
  const s = view.status;

  async function act(what: string, fn: () => Promise<unknown>) {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      toast.error(`${what}: ${e instanceof HubRefusal || e instanceof Error ? e.message : e}`);
    } finally {
      setBusy(false);
    }
  }
  const control = (status: 'paused' | 'running' | 'aborted') =>
    act(status, async () =>
      driver.feed.put(await must(() => socket, 15_000, 'rollout:control', { id: view.id, status })),
    );
  const off = busy || !ready || !keyPair;
  if (auth.state === 'viewer')
    return (
      <p className="text-xs text-muted-foreground" data-testid="viewer-read-only">
        Read-only: pausing, resuming, aborting and rolling back are signed with an operator key.
      </p>
    );

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="rollout-controls">
      {s === 'running' ? (
        <Button size="sm" variant="outline" disabled={off} onClick={() => control('paused')}>
          <PauseIcon />
          Pause
        </Button>
      ) : null}
      {s === 'paused' ? (
        <Button size="sm" variant="outline" disabled={off} onClick={() => control('running')}>
          <PlayIcon />
          Resume
        </Button>
      ) : null}
      {!here && (s === 'expired' || ((s === 'running' || s === 'paused') && !view.lock)) ? (
        <Button
          size="sm"
          disabled={off}
          onClick={() => act('resume here', () => driver.resume(view.id))}
          data-testid="resume-here"
        >
          <StepForwardIcon />
          Resume here
        </Button>
      ) : null}
      {s === 'running' || s === 'paused' || s === 'expired' ? (
        <Button
          size="sm"
          variant="destructive"
          disabled={off}
          onClick={() => control('aborted')}
          data-testid="abort-rollout"
        >
          <OctagonXIcon />
          Abort
        </Button>
      ) : null}
      {ROLLABLE.includes(s) && view.kind === 'rollout' && !view.rolledBackBy && !here ? (
        <Button
          size="sm"
          variant="outline"
          disabled={off}
          onClick={() => act('roll back', () => driver.rollBack(view))}
          data-testid="roll-back"
        >
          <RotateCcwIcon />
          Roll back
        </Button>
      ) : null}
    </div>
  );
}
