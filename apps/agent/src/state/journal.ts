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

  all(onCorrupt: (path: string) => void = () => {}): JournalEntry[] {
    return this.dir
      .readAll(STATE_FILES.journal, onCorrupt)
      .filter(
        (e): e is JournalEntry => typeof (e as JournalEntry | undefined)?.requestId === 'string',
      );
  }
}
