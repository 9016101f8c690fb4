// Where things are, independent of the directory Vitest was started from.
import { fileURLToPath } from 'node:url'

/** The repository root (web/e2e/harness/../../..). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '')
