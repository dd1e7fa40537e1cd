'use client';
import { ShieldCheckIcon, ShieldXIcon } from 'lucide-react';
import { shortId } from '@/lib/utils';
import type { SignatureVerdict, SoundProposal } from './judge-proposal';

const WORDS: Record<Exclude<SignatureVerdict['verdict'], 'genuine'>, string> = {
  invalid: 'does not verify over these bytes',
  'unknown-key': 'key not in the verified keyring',
  'not-allowed': 'key not allowed this app or target',
};

/** Every signature the envelope carries, with this browser's verdict on each. */
export function SignatureList({ proposal }: { proposal: SoundProposal }) {
  return (
    <div className="grid gap-1.5">
      <p className="text-xs text-muted-foreground">
        Signatures: {proposal.genuine.length} genuine of {proposal.threshold} needed
        {proposal.missing > 0 ? ` (${proposal.missing} more)` : ''}, checked in this browser against
        the verified keyring.
      </p>
      <ul className="grid gap-1 text-sm" data-testid="signature-verdicts">
        {proposal.signatures.map((s) => (
          <li
            key={s.keyid}
            className="flex items-center gap-2"
            data-keyid={s.keyid}
            data-verdict={s.verdict}
          >
            {s.verdict === 'genuine' ? (
              <span className="inline-flex items-center gap-1 text-xs font-medium text-ok">
                <ShieldCheckIcon className="size-3.5" />✓ genuine
              </span>
            ) : (
              <span className="inline-flex items-center gap-1 rounded bg-bad px-1.5 py-0.5 text-xs font-bold text-white">
                <ShieldXIcon className="size-3.5" />✗ {WORDS[s.verdict]}
              </span>
            )}
            <span className="font-medium">{s.name ?? 'unknown'}</span>
            <code className="font-mono text-xs text-muted-foreground">{shortId(s.keyid)}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
