export * from './atomic-write.js';
export * from './key-store.js';
export * from './log-levels.js';
export * from './node-ed25519.js';
