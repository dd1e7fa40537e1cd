export * from './data-dir.js';
export * from './test-hub.js';
