export * from './trust-fixture.js';
