'use client';
import { UsersIcon } from 'lucide-react';
import { SigningDialog } from '@/components/keys/signing-dialog';
import { Alert } from '@/components/ui/alert';
import type { PreparedRequest } from './build-request';
import { SignedRequestView } from './signed-request-view';
import { useSendSignedRequest } from './use-send-signed-request';

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
  const { busy, refusal, signAndSend, clearRefusal } = useSendSignedRequest(
    prepared,
    propose,
    onClose,
  );

  return (
    <SigningDialog
      open={prepared !== null}
      onDismiss={() => {
        clearRefusal();
        onClose();
      }}
      title="Review and sign"
      description="This is exactly what your key will sign. Hosts check every field; the hub cannot change any of it."
      busy={busy}
      onSign={signAndSend}
      signLabel={propose ? 'Sign and propose for co-signing' : 'Sign and deploy'}
      busyLabel="Signing…"
      signTestId={propose ? 'sign-propose' : 'sign-submit'}
      refusal={refusal}
      refusalTestId="deploy-refusal"
    >
      {prepared ? (
        <>
          <SignedRequestView prepared={prepared} hostCount={hostCount} />
          {propose ? (
            <Alert tone="info" icon={<UsersIcon />} title="This app needs co-signing">
              Hosts refuse it with your signature alone. It waits in the Pending inbox until enough
              operators allowed this app have signed these exact bytes, or until it expires.
            </Alert>
          ) : null}
        </>
      ) : null}
    </SigningDialog>
  );
}
