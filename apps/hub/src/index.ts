export type { HubConfig, HubConfigInput } from './config/config.js';
export { DEFAULT_ORIGINS, parseHubConfig } from './config/config.js';
export type { RunningHub, StartOptions } from './hub.js';
export { startHub } from './hub.js';
