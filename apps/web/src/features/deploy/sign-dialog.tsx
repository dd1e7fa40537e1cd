'use client';
import { SigningDialog } from '@/components/keys/signing-dialog';
import type { PreparedRequest } from './build-request';
import { SignedRequestView } from './signed-request-view';
import { useSubmitDeploy } from './use-submit-deploy';

/**
 * The last step before a signature: the exact canonical JSON that will be signed, its
 * digest, and a plain-words summary. Signing happens here, in this browser.
 */
export function SignDialog({
  prepared,
  hostCount,
  onClose,
}: {
  prepared: PreparedRequest | null;
  hostCount: number | null;
  onClose: () => void;
}) {
  const { busy, refusal, signAndSubmit, clearRefusal } = useSubmitDeploy(prepared, onClose);

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
      onSign={signAndSubmit}
      signLabel="Sign and deploy"
      busyLabel="Signing…"
      signTestId="sign-submit"
      refusal={refusal}
      refusalTestId="deploy-refusal"
    >
      {prepared ? <SignedRequestView prepared={prepared} hostCount={hostCount} /> : null}
    </SigningDialog>
  );
}
