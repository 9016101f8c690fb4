export {
  appLogger,
  diagnosticsEnabled,
  downloadLog,
  logLines,
  setDiagnosticsEnabled,
  LOG_LIMIT,
} from './log-buffer'
