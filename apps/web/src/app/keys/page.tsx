'use client';
import { EyeIcon, KeyRoundIcon, ServerCogIcon, ShieldCheckIcon } from 'lucide-react';
import { ViewerTokenForm } from '@/components/keys/viewer-token-form';
import { Page } from '@/components/shell/page';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { KeyDetails } from '@/features/keys/key-details';
import { KeySetup } from '@/features/keys/key-setup';
import { PendingAgents } from '@/features/keys/pending-agents';
import { TrustPanel } from '@/features/keys/trust-panel';
import { useKey } from '@/lib/keys/key-context';

export default function KeysPage() {
  const key = useKey();
  return (
    <Page
      title="Keys & trust"
      description="Your operator key stays in this browser, encrypted with your passphrase. Trust documents are verified here, not taken from the hub on faith."
    >
      <div className="grid gap-4 xl:grid-cols-2">
        <Card>
          <CardHeader
            icon={<KeyRoundIcon />}
            title="Operator key"
            description={
              key.status === 'none'
                ? 'No key yet'
                : 'Stored encrypted in IndexedDB (scrypt + XSalsa20-Poly1305)'
            }
          />
          <CardBody>
            {key.status === 'loading' ? null : key.status === 'none' ? (
              <KeySetup />
            ) : (
              <KeyDetails />
            )}
          </CardBody>
        </Card>
        <div className="grid content-start gap-4">
          <Card>
            <CardHeader
              icon={<EyeIcon />}
              title="Watch without a key"
              description="With the hub's viewer token: fleet, deployments, rollouts and history, read-only and still verified here"
            />
            <CardBody>
              <ViewerTokenForm />
            </CardBody>
          </Card>
          <Card>
            <CardHeader
              icon={<ShieldCheckIcon />}
              title="Trust"
              description="Root and keyring, verified in this browser"
            />
            <CardBody>
              <TrustPanel />
            </CardBody>
          </Card>
          <Card>
            <CardHeader
              icon={<ServerCogIcon />}
              title="Agents waiting for approval"
              description="Approving signs an approval with your key; receipts are verified against approved keys only."
            />
            <CardBody>
              <PendingAgents />
            </CardBody>
          </Card>
        </div>
      </div>
    </Page>
  );
}
