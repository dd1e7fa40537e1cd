'use client';
import type { ProposalSignature } from '@serfbort/client';
import { ShieldCheckIcon, ShieldXIcon } from 'lucide-react';
import { shortId } from '@/lib/utils';
import type { SoundProposal } from './judge-proposal';

function verdictOf(s: ProposalSignature): { mark: 'counts' | 'ignored'; words: string } {
  if (s.counts) return { mark: 'counts', words: 'genuine' };
  if (s.genuine) return { mark: 'ignored', words: 'genuine, but not allowed this app or target' };
  return { mark: 'ignored', words: 'key not in the verified keyring' };
}

/** Every signature the envelope carries, with this browser's verdict on each. */
export function SignatureList({ proposal }: { proposal: SoundProposal }) {
  const v = proposal.verified;
  return (
    <div className="grid gap-1.5">
      <p className="text-xs text-muted-foreground">
        Signatures: {v.have} of {v.threshold} needed{v.missing > 0 ? ` (${v.missing} more)` : ''},
        checked in this browser against the verified keyring.
      </p>
      <ul className="grid gap-1 text-sm" data-testid="signature-verdicts">
        {v.signatures.map((s) => {
          const { mark, words } = verdictOf(s);
          return (
            <li key={s.keyId} className="flex items-center gap-2" data-verdict={mark}>
              {mark === 'counts' ? (
                <span className="inline-flex items-center gap-1 text-xs font-medium text-ok">
                  <ShieldCheckIcon className="size-3.5" />✓ {words}
                </span>
              ) : (
                <span className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white">
                  <ShieldXIcon className="size-3.5" />✗ {words}
                </span>
              )}
              <span className="font-medium">{s.name ?? 'unknown key'}</span>
              <code className="font-mono text-xs text-muted-foreground">{shortId(s.keyId)}</code>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
