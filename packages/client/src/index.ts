export * from './keys/key-file.js';
export * from './rollout/driver.js';
export * from './rollout/plan.js';
export * from './rollout/results.js';
export * from './rollout/rollback.js';
