// The relay as a library (tests and tools embed it; `main.ts` is the command line).
export { startRelay, type Relay, type Health } from './server'
export { parseConfig, usage, ConfigError, type RelayConfig } from './config'
export { defaultLimits, type Limits } from './limits'
export { createLogger } from './logger'
