export * from './artifact-server.js';
export * from './bundles.js';
export * from './data-template.js';
export * from './rollout-fixture.js';
export * from './tar-fixture.js';
export * from './trust-fixture.js';
