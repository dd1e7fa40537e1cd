export type { AgentEvents, AgentHandle, StartOptions } from './agent.js';
export { startAgent } from './agent.js';
export type { AgentConfig, AppConfig, ConfigFlags, LoadOptions } from './config/load.js';
export { ConfigError, loadConfig } from './config/load.js';
export { createLogger } from './log.js';
export { AGENT_VERSION } from './version.js';
