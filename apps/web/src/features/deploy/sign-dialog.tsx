'use client';
import { PenLineIcon, ShieldAlertIcon, UsersIcon } from 'lucide-react';
import { UnlockForm } from '@/components/keys/unlock-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useProposeDeploy } from '@/features/proposals/use-propose-deploy';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import type { PreparedRequest } from './build-request';
import { SignedRequestView } from './signed-request-view';
import { useSubmitDeploy } from './use-submit-deploy';

/**
 * The last step before a signature: the exact canonical JSON that will be signed, its
 * digest, and a plain-words summary. Signing happens here, in this browser. When the app
 * needs more signatures than this key's, the signed request goes to the hub as a proposal
 * instead of a submit the hosts would refuse.
 */
export function SignDialog({
  prepared,
  propose,
  hostCount,
  onClose,
}: {
  prepared: PreparedRequest | null;
  propose: boolean;
  hostCount: number | null;
  onClose: () => void;
}) {
  const { ready } = useHub();
  const { keyPair } = useKey();
  const submit = useSubmitDeploy(prepared, onClose);
  const proposal = useProposeDeploy(prepared, onClose);
  const { busy, refusal, clearRefusal } = propose ? proposal : submit;

  return (
    <Dialog
      open={prepared !== null}
      onOpenChange={(o) => {
        if (!o) {
          clearRefusal();
          onClose();
        }
      }}
      className="w-[min(760px,94vw)]"
      title="Review and sign"
      description="This is exactly what your key will sign. Hosts check every field; the hub cannot change any of it."
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          {propose ? (
            <Button
              onClick={proposal.signAndPropose}
              disabled={busy || !keyPair || !ready}
              data-testid="sign-propose"
            >
              <UsersIcon />
              {busy ? 'Signing…' : 'Sign and propose for co-signing'}
            </Button>
          ) : (
            <Button
              onClick={submit.signAndSubmit}
              disabled={busy || !keyPair || !ready}
              data-testid="sign-submit"
            >
              <PenLineIcon />
              {busy ? 'Signing…' : 'Sign and deploy'}
            </Button>
          )}
        </>
      }
    >
      {prepared ? (
        <div className="grid gap-4">
          <SignedRequestView prepared={prepared} hostCount={hostCount} />
          {propose ? (
            <Alert tone="info" icon={<UsersIcon />} title="This app needs co-signing">
              Hosts refuse it with your signature alone. It waits in the Pending inbox until enough
              operators allowed this app have signed these exact bytes, or until it expires.
            </Alert>
          ) : null}
          {!keyPair ? (
            <Alert tone="warn" title="Unlock your key to sign">
              <UnlockForm compact />
            </Alert>
          ) : null}
          {refusal ? (
            <Alert
              tone="bad"
              icon={<ShieldAlertIcon />}
              title={`Refused: ${refusal.code}`}
              data-testid="deploy-refusal"
            >
              {refusal.message}
            </Alert>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
