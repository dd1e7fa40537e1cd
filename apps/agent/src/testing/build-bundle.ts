import { buildBundles } from '@serfbort/testkit';

/**
 * vitest global setup: the tests spawn the real agent bundle, and the hub bundle as the
 * hub they talk to (an app never imports another app, so the hub runs as a process).
 */
export default function setup(): void {
  buildBundles(['agent', 'hub']);
}
