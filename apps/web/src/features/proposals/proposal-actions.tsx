'use client';
import type { ProposalView } from '@serfbort/core';
import { PenLineIcon, ShieldAlertIcon, Undo2Icon } from 'lucide-react';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import type { SoundProposal } from './judge-proposal';
import { useProposalActions } from './use-proposal-actions';
import { useSignerStanding } from './use-signer-standing';

/**
 * "Co-sign" and "Withdraw" for an open proposal that verified here. Viewers, and operators
 * whose key already signed or may not sign, see why instead of a button.
 */
export function ProposalActions({
  proposal,
  accept,
}: {
  proposal: SoundProposal;
  accept: (v: ProposalView) => void;
}) {
  const { ready, auth } = useHub();
  const { keyPair, file } = useKey();
  const standing = useSignerStanding(proposal, file?.keyId ?? null);
  const { busy, refusal, coSign, withdraw } = useProposalActions(proposal, accept);
  const keyId = file?.keyId ?? null;
  // the hub's rule for withdrawing: the proposer, or any operator allowed the app there
  const mayWithdraw =
    keyId !== null &&
    (keyId === proposal.verified.proposedBy || proposal.verified.allowedKeys.includes(keyId));
  if (proposal.status !== 'open') return null;
  if (auth.state === 'viewer')
    return (
      <p className="text-sm text-muted-foreground" data-testid="viewer-read-only">
        You are watching read-only with the hub&apos;s viewer token: co-signing needs an authorized
        operator key, unlocked in this browser.
      </p>
    );
  return (
    <div className="grid gap-3">
      {standing.note ? <p className="text-sm text-muted-foreground">{standing.note}</p> : null}
      {!keyPair && file ? (
        <Alert tone="warn" title="Unlock your key to co-sign">
          <UnlockForm compact />
        </Alert>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {standing.canSign ? (
          <Button
            onClick={coSign}
            disabled={busy !== null || !keyPair || !ready}
            data-testid="cosign"
          >
            <PenLineIcon />
            {busy === 'sign' ? 'Signing…' : 'Co-sign these bytes'}
          </Button>
        ) : null}
        {mayWithdraw ? (
          <Button
            variant="outline"
            onClick={withdraw}
            disabled={busy !== null || !ready}
            data-testid="withdraw"
          >
            <Undo2Icon />
            {busy === 'withdraw' ? 'Withdrawing…' : 'Withdraw'}
          </Button>
        ) : null}
      </div>
      {refusal ? (
        <Alert
          tone="bad"
          icon={<ShieldAlertIcon />}
          title={`Refused: ${refusal.code}`}
          data-testid="proposal-refusal"
        >
          {refusal.message}
        </Alert>
      ) : null}
    </div>
  );
}
