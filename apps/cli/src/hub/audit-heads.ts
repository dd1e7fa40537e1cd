import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditHead } from '@serfbort/core';
import { writeFileAtomic } from '@serfbort/node';
import { CliError, EXIT } from '../errors.js';

interface HeadsFile {
  hubs: Record<string, AuditHead & { seenAt: number }>;
}

const isHead = (h: unknown): boolean => {
  const o = h as Partial<AuditHead> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isSafeInteger(o.seq) &&
    (o.seq as number) >= 0 &&
    typeof o.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(o.hash)
  );
};

function parseHeads(text: string): HeadsFile | undefined {
  try {
    const v = JSON.parse(text) as HeadsFile;
    const hubs = v?.hubs;
    if (typeof hubs !== 'object' || hubs === null || Array.isArray(hubs)) return undefined;
    return Object.values(hubs).every(isHead) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The audit chain head this client saw last, per hub id, in the config directory: the
 * next session checks that the hub's history still extends it (see guard-audit.ts).
 */
export class AuditHeads {
  constructor(private readonly configDir: string) {}

  get path(): string {
    return join(this.configDir, 'audit-heads.json');
  }

  private read(): HeadsFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { hubs: {} };
    }
    const parsed = parseHeads(text);
    if (!parsed)
      throw new CliError(
        EXIT.usage,
        'FILE_INVALID',
        `${this.path} is not a list of audit heads; restore it, or remove it to trust each hub's history afresh`,
      );
    return parsed;
  }

  get(hubId: string): AuditHead | undefined {
    const h = this.read().hubs[hubId];
    return h ? { seq: h.seq, hash: h.hash } : undefined;
  }

  remember(hubId: string, head: AuditHead, now: number): void {
    const file = this.read();
    file.hubs[hubId] = { seq: head.seq, hash: head.hash, seenAt: now };
    this.write(file);
  }

  /** true when a head was remembered for this hub */
  forget(hubId: string): boolean {
    const file = this.read();
    if (!(hubId in file.hubs)) return false;
    delete file.hubs[hubId];
    this.write(file);
    return true;
  }

  private write(file: HeadsFile): void {
    mkdirSync(this.configDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  }
}
