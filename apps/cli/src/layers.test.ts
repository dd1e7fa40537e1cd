import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerViolations, unitEdges } from '@serfbort/testkit/layers';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * commands → flows (deploy, rollout, hub session, trust files) → keys and prompts →
 * context, output, config: an import may point down or sideways, never up, so nothing
 * below commands/ imports a command. The entry points alone see everything.
 */
const LAYER: Record<string, number> = {
  'main.ts': 5,
  'program.ts': 5,
  commands: 4,
  deploy: 3,
  rollout: 3,
  hub: 3,
  trust: 3,
  proposals: 3,
  completion: 3,
  keys: 2,
  prompt: 2,
  'context.ts': 1,
  output: 1,
  config: 1,
  'errors.ts': 1,
};

describe('the CLI’s folders', () => {
  const found = layerViolations(unitEdges(SRC, ['testing', 'e2e']), LAYER);

  it('each belong to a layer', () => {
    expect(found.unplaced).toEqual([]);
  });

  it('import nothing from a layer above their own', () => {
    expect(found.upward).toEqual([]);
  });

  it('import each other without a cycle', () => {
    expect(found.cycles).toEqual([]);
  });
});
