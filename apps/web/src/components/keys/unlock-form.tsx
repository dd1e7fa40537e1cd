'use client';
import { LockOpenIcon } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { keyErrorMessage, useKey } from '@/lib/keys/key-context';
import { cn } from '@/lib/utils';

/** Passphrase prompt that decrypts the stored key into memory (never into storage). */
export function UnlockForm({ compact = false }: { compact?: boolean }) {
  const { unlock, progress } = useKey();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const busy = progress !== null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await unlock(passphrase);
      setPassphrase('');
    } catch (err) {
      setError(keyErrorMessage(err));
    }
  }

  return (
    <form
      onSubmit={submit}
      className={cn('flex flex-wrap items-start gap-2', compact ? '' : 'max-w-md')}
    >
      <div className="grid min-w-56 flex-1 gap-1">
        <Input
          type="password"
          autoComplete="current-password"
          placeholder="Passphrase"
          aria-label="Passphrase"
          data-testid="unlock-passphrase"
          value={passphrase}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setPassphrase(e.target.value)}
          disabled={busy}
          className={compact ? 'h-8' : ''}
        />
        {error ? (
          <p className="text-xs text-bad" data-testid="unlock-error">
            {error}
          </p>
        ) : null}
      </div>
      <Button
        type="submit"
        size={compact ? 'sm' : 'default'}
        disabled={busy || passphrase === ''}
        data-testid="unlock-submit"
      >
        <LockOpenIcon />
        {busy ? `Unlocking… ${Math.round((progress ?? 0) * 100)}%` : 'Unlock'}
      </Button>
    </form>
  );
}
