// Types for scripts/commit-msg.mjs, so that its test (TypeScript) can import it.
export declare const MAX_SUBJECT_CHARS: number
export declare function checkCommitMessage(text: string): string[]
