export * from './clients.js';
export * from './data-dir.js';
export * from './hub-process.js';
export * from './postgres.js';
export * from './publish-trust.js';
export * from './receipts.js';
export * from './redis-server.js';
export * from './test-hub.js';
