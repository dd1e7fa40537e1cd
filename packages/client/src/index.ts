export * from './codes.js';
export * from './grammar/amount.js';
export * from './grammar/duration.js';
export * from './keys/key-file.js';
export * from './rollout/driver.js';
export * from './rollout/plan.js';
export * from './rollout/results.js';
export * from './rollout/rollback.js';
