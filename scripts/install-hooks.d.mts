// Types for scripts/install-hooks.mjs, so that its test (TypeScript) can import it.
export declare const HOOK_MARK: string
export declare const HOOK_SCRIPT: string
export declare function installHooks(options?: {
  root?: string
  git?: string
  env?: Record<string, string | undefined>
}): string
