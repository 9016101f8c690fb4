// A GitHub `push` event as one chat message:
//   alice pushed 2 commits to main of octo/harbour:
//   - [1a2b3c4](…/commit/1a2b3c4…) Fix the lighthouse timer — Alice
// Every field is read defensively (a payload is untrusted input) and escaped; only http(s) URLs
// become links. Branch creation and deletion, tags and force pushes read as such.
import { cut, escapeMarkdown, link } from '@tailmesh/bot-kit'
import { LIMITS } from '@tailmesh/core'

const MAX_COMMITS_LISTED = 10

type Json = Record<string, unknown>
const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** The message for a push payload, or null when it is not one. */
export function formatPush(payload: unknown): string | null {
  const p = obj(payload)
  const ref = str(p.ref)
  const repo = obj(p.repository)
  if (!ref) return null
  const who = str(obj(p.sender).login) ?? str(obj(p.pusher).name) ?? 'someone'
  const repoName = str(repo.full_name) ?? str(repo.name)
  const where = repoName ? ` of ${link(repoName, repo.html_url)}` : ''
  const tag = ref.startsWith('refs/tags/')
  const name = ref.replace(/^refs\/(heads|tags)\//, '')
  const kind = tag ? 'tag' : 'branch'
  // A code span shows its text as is (escapes included), so the name only loses its backticks.
  const refText = `\`${cut(name.replace(/`/g, "'"), 100)}\``
  const target = tag ? `tag ${refText}` : refText
  const actor = `**${escapeMarkdown(cut(who, 64))}**`

  if (p.deleted === true) return `${actor} deleted ${kind} ${refText}${where}`
  const commits = Array.isArray(p.commits) ? p.commits.map(obj) : []
  if (commits.length === 0)
    return p.created === true
      ? `${actor} created ${kind} ${refText}${where}`
      : `${actor} pushed to ${target}${where}`
  const count = commits.length === 1 ? '1 commit' : `${commits.length} commits`
  const forced = p.forced === true ? 'force-pushed' : 'pushed'
  const lines = commits.slice(0, MAX_COMMITS_LISTED).map((c) => {
    const id = str(c.id) ?? ''
    const title = (str(c.message) ?? '').split('\n')[0]!
    const author = str(obj(c.author).name) ?? str(obj(c.author).username)
    const short = id.slice(0, 7) || 'commit'
    return `- ${link(short, c.url)} ${escapeMarkdown(cut(title, 120))}${author ? ` — ${escapeMarkdown(cut(author, 64))}` : ''}`
  })
  const more = commits.length - MAX_COMMITS_LISTED
  if (more > 0) lines.push(`- …and ${more} more (${link('compare', p.compare)})`)
  const message = `${actor} ${forced} ${count} to ${target}${where}:\n${lines.join('\n')}`
  return [...message].length <= LIMITS.messageBody ? message : cut(message, LIMITS.messageBody)
}
