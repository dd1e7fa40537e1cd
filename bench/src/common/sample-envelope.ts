import type { Envelope } from '@serfbort/core';
import { key, signDeploy } from '@serfbort/testkit';

/** A real signed deploy envelope, so the floor moves exactly as many bytes as serfbort does. */
export function sampleDeployEnvelope(): Envelope {
  return signDeploy({ app: 'web', version: 'v1.42.0', target: { selector: 'role=web' } }, [key(2)])
    .envelope;
}
