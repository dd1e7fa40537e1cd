export * from './bundles.js';
export * from './trust-fixture.js';
