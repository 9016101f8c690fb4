import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkCommitMessage } from './commit-msg.mjs'
import { HOOK_SCRIPT, installHooks } from './install-hooks.mjs'

const script = new URL('./commit-msg.mjs', import.meta.url).pathname

describe('commit-msg', () => {
  it('takes subjects with an area prefix, up to 72 characters', () => {
    for (const subject of [
      'docs: architecture as it is now',
      'scripts: commit-msg hook',
      'core/gate: verdicts rebuilt from envelopes',
      'web/e2e: app-relays waits for both relays',
      'plugins/link-card: titles from og:title',
      'v0.2.0: release notes',
      'bench/libp2p-scale: 200 peers',
      `core: ${'x'.repeat(66)}`,
    ])
      expect(checkCommitMessage(`${subject}\n`), subject).toEqual([])
  })

  it('refuses subjects without an area prefix', () => {
    for (const subject of [
      'Add the architecture page',
      'Core: capital letters',
      'core README: a space in the area',
      'core:no space after the colon',
      'core : space before the colon',
      'core/: an empty part',
      '/core: a leading slash',
      'core_gate: underscore',
      ': no area',
    ])
      expect(checkCommitMessage(`${subject}\n`), subject).toHaveLength(1)
  })

  it('refuses a subject over 72 characters and says how long it is', () => {
    const subject = `core: ${'x'.repeat(67)}`
    expect([...subject].length).toBe(73)
    const problems = checkCommitMessage(`${subject}\n`)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/73 characters/)
  })

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(checkCommitMessage(`i18n: ${'中'.repeat(66)}\n`)).toEqual([])
    expect(checkCommitMessage(`i18n: ${'😀'.repeat(66)}\n`)).toEqual([])
  })

  it('wants a blank line between the subject and the body', () => {
    expect(checkCommitMessage('docs: adr index\n\nWhy and what.\nMore.\n')).toEqual([])
    expect(checkCommitMessage('docs: adr index\nWhy and what.\n')).toEqual([
      'Leave a blank line between the subject and the body.',
    ])
  })

  it('reports every problem at once', () => {
    expect(checkCommitMessage(`${'A'.repeat(80)}\nbody\n`)).toHaveLength(3)
  })

  it('lets the subjects git writes itself through', () => {
    for (const subject of [
      "Merge branch 'h-docs'",
      "Merge remote-tracking branch 'origin/main' into h-docs, with a subject well over seventy-two characters",
      'Revert "core: something that did not work out, with a subject that is quite long already"',
      'fixup! docs: architecture as it is now',
      'squash! docs: architecture as it is now',
      'amend! docs: architecture as it is now',
    ])
      expect(checkCommitMessage(`${subject}\n`), subject).toEqual([])
    expect(checkCommitMessage("Merge branch 'x'\nno blank line\n")).toHaveLength(1)
  })

  it('reads the message as git records it: no comments, no scissors part, no surrounding blank lines', () => {
    const text = [
      '',
      'docs: adr for relay keepers',
      '',
      'Body.',
      '# Please enter the commit message for your changes.',
      '#',
      '# ------------------------ >8 ------------------------',
      'diff --git a/x b/x with a line that would not pass',
      '',
    ].join('\n')
    expect(checkCommitMessage(text)).toEqual([])
    expect(checkCommitMessage('docs: x\r\n\r\nbody\r\n')).toEqual([])
    expect(checkCommitMessage('# only comments\n\n')).toEqual(['The message is empty.'])
  })

  it('exits 1 with the problems for a bad message and 0 for a good one (the hook)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commit-msg-'))
    try {
      const file = join(dir, 'COMMIT_EDITMSG')
      writeFileSync(file, 'fix stuff\n')
      const bad = spawnSync(process.execPath, [script, file], { encoding: 'utf8' })
      expect(bad.status).toBe(1)
      expect(bad.stderr).toMatch(/area/)
      writeFileSync(file, 'scripts: commit-msg hook\n\nDetails.\n')
      const good = spawnSync(process.execPath, [script, file], { encoding: 'utf8' })
      expect(good.status).toBe(0)
      expect(good.stderr).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('install-hooks', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'install-hooks-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const git = (cwd: string, ...args: string[]) =>
    expect(spawnSync('git', args, { cwd, stdio: 'ignore' }).status).toBe(0)

  it('does nothing outside a git checkout', () => {
    expect(installHooks({ root: tempDir(), env: {} })).toBe('skipped (not a git checkout)')
  })

  it('does nothing without git', () => {
    const root = tempDir()
    git(root, 'init', '-q')
    expect(installHooks({ root, git: join(root, 'no-such-git'), env: {} })).toBe(
      'skipped (git is not available)',
    )
  })

  it('does nothing when asked not to', () => {
    const root = tempDir()
    git(root, 'init', '-q')
    expect(installHooks({ root, env: { TAILMESH_NO_HOOKS: '1' } })).toMatch(/^skipped/)
  })

  it('writes the commit-msg hook once, and leaves someone else’s alone', () => {
    const root = tempDir()
    git(root, 'init', '-q')
    const hook = join(root, '.git', 'hooks', 'commit-msg')
    expect(installHooks({ root, env: {} })).toBe(`installed ${hook}`)
    expect(readFileSync(hook, 'utf8')).toBe(HOOK_SCRIPT)
    expect(installHooks({ root, env: {} })).toMatch(/^already installed/)
    writeFileSync(hook, '#!/bin/sh\nexit 0\n')
    expect(installHooks({ root, env: {} })).toMatch(/^left alone/)
  })

  it('only sets the hook of the repository the package is the top of', () => {
    const parent = tempDir()
    git(parent, 'init', '-q')
    const nested = join(parent, 'nested')
    mkdirSync(nested)
    expect(installHooks({ root: nested, env: {} })).toBe('skipped (not a git checkout)')
  })

  it('runs as a git hook: a bad message stops the commit, a good one goes in', () => {
    const root = tempDir()
    git(root, 'init', '-q')
    git(root, 'config', 'user.email', 'test@example.invalid')
    git(root, 'config', 'user.name', 'Test')
    git(root, 'config', 'commit.gpgsign', 'false')
    mkdirSync(join(root, 'scripts'))
    writeFileSync(join(root, 'scripts', 'commit-msg.mjs'), readFileSync(script))
    installHooks({ root, env: {} })
    const commit = (message: string) =>
      spawnSync('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: root, encoding: 'utf8' })
    const bad = commit('Fixed everything')
    expect(bad.status).not.toBe(0)
    expect(bad.stderr).toMatch(/area/)
    expect(commit('scripts: a good subject').status).toBe(0)
  })
})
