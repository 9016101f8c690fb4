#!/usr/bin/env node
// The import graph stays a tree pointing one way: no cycles anywhere, type-only imports included
// (dpdm, as yjs does), core never imports web, relay, plugins or Vue, and core touches the DOM only
// in its browser adapters (files named *.browser.ts), which is checked by type-checking core
// without the DOM library.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve, dirname } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const problems = []

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (/\.(ts|mts|vue)$/.test(name)) out.push(p)
  }
  return out
}

const importRe =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g
const forbiddenInCore = [/^vue($|\/)/, /^pinia/, /^vue-router/, /^vue-i18n/, /^@tailmesh\/(web|relay|plugin)/]

for (const file of walk(join(root, 'core'))) {
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3]
    if (forbiddenInCore.some((re) => re.test(spec))) problems.push(`${relative(root, file)} imports ${spec}`)
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec)
      if (!target.startsWith(join(root, 'core') + '/'))
        problems.push(`${relative(root, file)} reaches outside core: ${spec}`)
    }
  }
}

// Nothing may import a sibling package by relative path: use the workspace name (@tailmesh/core).
for (const pkg of ['relay', 'web', 'plugins']) {
  let files
  try {
    files = walk(join(root, pkg))
  } catch {
    continue
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3]
      if (!spec.startsWith('.')) continue
      const target = resolve(dirname(file), spec)
      const own =
        pkg === 'plugins'
          ? join(root, 'plugins', relative(join(root, 'plugins'), file).split('/')[0])
          : join(root, pkg)
      if (!target.startsWith(own + '/') && target !== own)
        problems.push(`${relative(root, file)} reaches into another package: ${spec}`)
    }
  }
}

function sh(title, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) problems.push(`${title}:\n${r.stdout}${r.stderr}`)
}

sh('core type-checks without the DOM library', 'npx', ['tsc', '-p', 'core/tsconfig.json', '--noEmit'])
const entries = walk(root)
  .filter(
    (f) => !f.includes('/node_modules/') && /\/(core|relay|web|plugins|bench)\//.test(f) && f.endsWith('.ts'),
  )
  .map((f) => relative(root, f))
// Type-only imports count: a cycle through `import type` is still two modules that each need the
// other to be understood, so dpdm runs without -T (which would drop type-only edges).
// A cycle is named from its alphabetically first file, wherever dpdm entered it.
function cycleKey(files) {
  const first = files.indexOf([...files].sort()[0])
  return [...files.slice(first), ...files.slice(0, first)].join(' -> ')
}
const out = join(mkdtempSync(join(tmpdir(), 'tailmesh-dpdm-')), 'dpdm.json')
sh('import cycles (dpdm)', 'npx', [
  'dpdm',
  '--no-warning',
  '--no-tree',
  '--no-progress',
  '--no-circular',
  '-o',
  out,
  ...entries,
])
const found = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')).circulars.map(cycleKey) : null
rmSync(dirname(out), { recursive: true, force: true })
if (found === null) problems.push('import cycles: dpdm wrote no report')
for (const key of found ?? []) problems.push(`import cycle: ${key}`)

if (problems.length) {
  console.error('Import graph check failed:\n- ' + problems.join('\n- '))
  process.exit(1)
}
console.log(
  'Import graph: no cycles (type-only imports included); core imports none of web, relay, plugins, Vue; no DOM outside adapters.',
)
