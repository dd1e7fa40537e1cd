import { STATE_FILES, type StateDir } from './state-dir.js';

/** A deploy the agent accepted and has not yet answered: what survives a SIGKILL. */
export interface JournalEntry {
  requestId: string;
  requestDigest: string;
  app: string;
  version: string;
  acceptedAt: number;
  startedAt?: number;
  versionBefore?: string | null;
  /** process group of the running deploy command, so a restarted agent can end it */
  pgid?: number;
  /** the program that group runs, checked before killing a possibly reused id */
  program?: string;
}

const fileOf = (requestId: string) => `${requestId}.json`;

export class Journal {
  constructor(private readonly dir: StateDir) {}

  put(entry: JournalEntry): void {
    this.dir.writeJson(entry, STATE_FILES.journal, fileOf(entry.requestId));
  }

  remove(requestId: string): void {
    this.dir.remove(STATE_FILES.journal, fileOf(requestId));
  }

  all(): JournalEntry[] {
    return this.dir
      .list(STATE_FILES.journal)
      .map((name) => this.dir.readJson(STATE_FILES.journal, name) as JournalEntry | undefined)
      .filter((e): e is JournalEntry => typeof e?.requestId === 'string');
  }
}
