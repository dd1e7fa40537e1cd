'use client';
import { fingerprintOf, fromBase64 } from '@serfbort/core';
import { UnlockForm } from '@/components/keys/unlock-form';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { IdleLockSetting } from './idle-lock-setting';
import { KeyActions } from './key-actions';
import { AuthorizeCommand, KeyFacts } from './key-facts';

/** Public facts about the stored key, and what to do with it. */
export function KeyDetails() {
  const key = useKey();
  const { auth } = useHub();
  const file = key.file;
  if (!file) return null;
  const name = file.name ?? 'operator';
  const command = `serfbort trust add-operator ${file.publicKey} --name ${name}`;
  const fingerprint = fingerprintOf(fromBase64(file.publicKey));

  return (
    <div className="grid gap-4">
      <KeyFacts file={file} name={name} fingerprint={fingerprint} status={key.status} auth={auth} />
      <AuthorizeCommand command={command} />
      {key.status === 'locked' ? <UnlockForm /> : null}
      <KeyActions k={key} file={file} name={name} fingerprint={fingerprint} />
      <IdleLockSetting />
    </div>
  );
}
