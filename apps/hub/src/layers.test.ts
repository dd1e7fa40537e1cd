import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerViolations, unitEdges } from '@serfbort/testkit/layers';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * protocol → services → context → storage: an import may point down or sideways, never
 * up. The composition root (startHub and the entry points) alone sees everything.
 */
const LAYER: Record<string, number> = {
  'hub.ts': 5,
  'main.ts': 5,
  'index.ts': 5,
  'create-services.ts': 5,
  protocol: 4,
  http: 4,
  agents: 3,
  deploy: 3,
  rollouts: 3,
  trust: 3,
  cluster: 3,
  audit: 3,
  operators: 3,
  webhooks: 3,
  proposals: 3,
  'fleet-gauges.ts': 3,
  'hub-context.ts': 2,
  'hub-services.ts': 2,
  db: 1,
  config: 1,
  'metrics.ts': 1,
  'logger.ts': 1,
  'hub-limits.ts': 1,
  'periodic-task.ts': 2,
  'errors.ts': 1,
};

describe('the hub’s folders', () => {
  const found = layerViolations(unitEdges(SRC, ['testing', 'migrations']), LAYER);

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
