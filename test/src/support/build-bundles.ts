import { buildBundles } from '@serfbort/testkit';

/** vitest global setup: the journeys run the apps as users do, from their bundles. */
export default function setup(): void {
  buildBundles(['agent', 'hub', 'cli']);
}
