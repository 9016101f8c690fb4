#!/usr/bin/env node
// The commit-msg hook (installed by scripts/install-hooks.mjs on `npm install`): a commit subject says
// which part of the project it touches and fits one line of `git log --oneline`, and details go in a
// body after a blank line. CONTRIBUTING.md, "Commits", has the rules with examples.
//
//   node scripts/commit-msg.mjs <file>   prints each problem with the message in <file>, exits 1 if any
import { readFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const MAX_SUBJECT_CHARS = 72

/** `area: ` or `area/sub: `: lowercase letters, digits, `-` and `.` in each part, parts joined by `/`. */
const AREA_PREFIX = /^[a-z0-9][a-z0-9.-]*(?:\/[a-z0-9][a-z0-9.-]*)*: \S/

/** Subjects git writes itself: merges, reverts, and the autosquash markers of `commit --fixup/--squash`. */
const GENERATED = /^(?:Merge |Revert "|(?:fixup|squash|amend)! )/

/** What git leaves out of the commit: comment lines, and everything under the scissors line (`-v`). */
function committedLines(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const scissors = lines.findIndex((l) => /^# -+ >8 -+$/.test(l))
  const kept = (scissors === -1 ? lines : lines.slice(0, scissors))
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trimEnd())
  while (kept.length && kept[0] === '') kept.shift()
  while (kept.length && kept[kept.length - 1] === '') kept.pop()
  return kept
}

/** Every problem with a commit message as git would record it (none: an empty list). */
export function checkCommitMessage(text) {
  const lines = committedLines(text)
  if (lines.length === 0) return ['The message is empty.']
  const subject = lines[0]
  const problems = []
  const generated = GENERATED.test(subject)
  const length = [...subject].length
  if (!generated && length > MAX_SUBJECT_CHARS)
    problems.push(
      `The subject is ${length} characters; keep it to ${MAX_SUBJECT_CHARS} and put details in the body.`,
    )
  if (!generated && !AREA_PREFIX.test(subject))
    problems.push(
      'The subject starts with an area and ": " (lowercase letters, digits, "-", "." and "/"), ' +
        'e.g. "docs: architecture as it is now" or "core/gate: ...".',
    )
  if (lines.length > 1 && lines[1] !== '')
    problems.push('Leave a blank line between the subject and the body.')
  return problems
}

function main(file) {
  if (!file) {
    console.error('usage: node scripts/commit-msg.mjs <commit message file>')
    return 2
  }
  const problems = checkCommitMessage(readFileSync(file, 'utf8'))
  if (problems.length === 0) return 0
  console.error('commit-msg: the commit message needs a change (CONTRIBUTING.md, "Commits"):')
  for (const p of problems) console.error(`  - ${p}`)
  console.error(`Your message is kept in ${file}; \`git commit -e -F ${file}\` starts from it.`)
  return 1
}

const invoked = process.argv[1] ? realpathSync(process.argv[1]) : ''
if (invoked === realpathSync(fileURLToPath(import.meta.url))) process.exit(main(process.argv[2]))
