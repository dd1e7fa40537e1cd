import type { PhaseProfile } from '../sim/phase-clock.js';

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Where the hub's CPU went in each phase: packages, then the hottest functions. */
export function renderProfile(n: number, phases: Record<string, PhaseProfile>): string {
  const out = [`hub CPU profile, N=${n} (self time; --profile-hub)`];
  for (const [phase, p] of Object.entries(phases)) {
    out.push(`  ${phase}: ${p.totalMs.toFixed(0)} ms sampled`);
    out.push(
      `    packages: ${p.packages
        .slice(0, 8)
        .map((h) => `${h.where} ${pct(h.share)}`)
        .join(', ')}`,
    );
    for (const h of p.functions.slice(0, 8))
      out.push(
        `    ${pct(h.share).padStart(6)}  ${h.selfMs.toFixed(0).padStart(6)} ms  ${h.where}`,
      );
  }
  return out.join('\n');
}
