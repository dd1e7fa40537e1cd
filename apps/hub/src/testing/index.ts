export * from './clients.js';
export * from './data-dir.js';
export * from './postgres.js';
export * from './receipts.js';
export * from './test-hub.js';
