#!/usr/bin/env node
// `npm install` runs this (the root package's "prepare" script): it sets the commit-msg hook that runs
// scripts/commit-msg.mjs. It must never make an install fail: outside a git checkout (a tarball, an
// unpacked archive), without git on the PATH, or with TAILMESH_NO_HOOKS=1 it does nothing and exits 0.
//
// The hook goes where `git rev-parse --git-path hooks` says: .git/hooks, the common hooks folder of
// every worktree of a repository, or core.hooksPath if someone set one. A commit-msg hook that this
// script did not write is left alone.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Marks a hook this script wrote, so that it may replace it. */
export const HOOK_MARK = 'tailmesh: scripts/install-hooks.mjs'

// Runs from the worktree root (where git runs hooks). A checkout of a branch from before the hook, or
// a machine without node, commits unchecked rather than not at all.
export const HOOK_SCRIPT = `#!/bin/sh
# ${HOOK_MARK} (npm install). Commit messages as CONTRIBUTING.md says.
[ -f scripts/commit-msg.mjs ] || exit 0
command -v node >/dev/null 2>&1 || exit 0
exec node scripts/commit-msg.mjs "$1"
`

/**
 * Installs the hook for the checkout at `root`; returns what it did, in words. Never throws: whatever
 * goes wrong, the install goes on without the hook.
 */
export function installHooks({ root, git = 'git', env = process.env } = {}) {
  try {
    if (env.TAILMESH_NO_HOOKS === '1') return 'skipped (TAILMESH_NO_HOOKS=1)'
    const asked = spawnSync(git, ['rev-parse', '--show-toplevel', '--git-path', 'hooks'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    if (asked.error) return 'skipped (git is not available)'
    if (asked.status !== 0) return 'skipped (not a git checkout)'
    const [top, hooksPath] = asked.stdout.trim().split('\n')
    // Only the repository this package is the top of: not a parent repository it happens to sit in.
    if (!top || !hooksPath || realpathSync(top) !== realpathSync(root)) return 'skipped (not a git checkout)'
    const hooks = isAbsolute(hooksPath) ? hooksPath : resolve(root, hooksPath)
    const hook = join(hooks, 'commit-msg')
    if (existsSync(hook)) {
      const current = readFileSync(hook, 'utf8')
      if (current === HOOK_SCRIPT) return `already installed (${hook})`
      if (!current.includes(HOOK_MARK)) return `left alone: ${hook} is someone else's hook`
    }
    mkdirSync(hooks, { recursive: true })
    writeFileSync(hook, HOOK_SCRIPT)
    chmodSync(hook, 0o755)
    return `installed ${hook}`
  } catch (error) {
    return `skipped (${error instanceof Error ? error.message : String(error)})`
  }
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : ''
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  console.log(`commit-msg hook: ${installHooks({ root })}`)
  process.exit(0)
}
