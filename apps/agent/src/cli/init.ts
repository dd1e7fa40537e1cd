import type { AgentConfig } from '../config/load.js';
import { loadOrCreateKey } from '../state/agent-key.js';
import { StateDir } from '../state/state-dir.js';

/** `serfbort-agent init`: the key pair, and what an operator must do with it. */
export function initCommand(config: AgentConfig, out: (line: string) => void): void {
  const dir = new StateDir(config.stateDir);
  dir.ensure();
  const key = loadOrCreateKey(dir);
  out(
    key.created
      ? `created the agent key ${key.path} (owner-only, mode 600)`
      : `the agent key already exists: ${key.path} (kept)`,
  );
  out(`  host:        ${config.name}`);
  out(`  key id:      ${key.keyPair.keyId}`);
  out(`  fingerprint: ${key.fingerprint}`);
  out('');
  out(
    'Next: start the agent (serfbort-agent run); it waits as pending until an operator approves it.',
  );
  out('The operator compares the fingerprint above with the one the hub shows, then runs:');
  out(`  serfbort agents approve ${config.name}`);
  if (config.enrollmentToken)
    out('(an enrollment token is configured: the agent approves itself with it on first connect)');
}
