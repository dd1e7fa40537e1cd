export type { TestHub, TestHubOptions } from '../hub/test-hub.js';
export { startTestHub } from '../hub/test-hub.js';
export * from './agent-process.js';
export * from './fleet.js';
export * from './host.js';
export * from './operator.js';
export * from './process.js';
export * from './relay-hub.js';
export * from './small-disk.js';
