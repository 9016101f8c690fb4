#!/usr/bin/env node
// `npm test`: every check the project has, one after another, then one plain closing line
// `N passed, N failed` with the true totals (CI reads that line, not Vitest's summary).
// Static checks (types, Vue types, lint, format, import graph) count one each; Vitest suites count per test.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { findChromium, chromiumHelp } from './chromium.mjs'

const root = new URL('..', import.meta.url).pathname
const results = join(root, '.test-results')
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })

let passed = 0
let failed = 0
const failures = []

function run(title, cmd, args, env = {}) {
  console.log(`\n── ${title}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}

function check(title, cmd, args) {
  if (run(title, cmd, args)) passed++
  else {
    failed++
    failures.push(title)
  }
}

function vitestProject(project) {
  const out = join(results, `${project}.json`)
  const ok = run(`vitest ${project}`, 'npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ])
  if (!existsSync(out)) {
    // Vitest did not get as far as reporting (config or collection error): count it as a failure.
    failed++
    failures.push(`vitest ${project} (no report)`)
    return
  }
  const report = JSON.parse(readFileSync(out, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  // A suite file that fails to load has no tests but is a failure all the same.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  )
  failed += brokenFiles.length
  if (report.numFailedTests > 0 || brokenFiles.length > 0 || !ok) failures.push(`vitest ${project}`)
  if (!ok && report.numFailedTests === 0 && brokenFiles.length === 0) failed++
}

check('type-check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
// tsc cannot read .vue files: vue-tsc checks the app's components and what they import.
check('type-check web (vue-tsc)', 'npx', ['vue-tsc', '-p', 'web/tsconfig.json', '--noEmit'])
check('lint', 'npx', ['eslint', '--max-warnings=0', '.'])
check('format', 'npx', ['prettier', '--check', '.'])
check('import graph', 'node', ['scripts/check-deps.mjs'])
vitestProject('unit')

const chromium = findChromium()
if (!chromium) {
  console.error(`\n${chromiumHelp}`)
  failed++
  failures.push('browser end-to-end tests: no Chromium found')
} else {
  process.env.CHROMIUM_PATH = chromium
  vitestProject('e2e')
}

if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
