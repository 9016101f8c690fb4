// GitHub issues, pull requests, releases and comments as card messages: a markdown body everyone
// reads (every peer can show it, with or without a card renderer) and a card
// (`com.tailmesh.github` / `github`) carrying the same facts as data, with http(s) links only.
//
//   🟢 **alice** opened issue [#12 Lamp flickers](…/issues/12) in [octo/harbour](…)
//   > The lamp flickers after midnight…
//
// A payload is untrusted: every field is read defensively, escaped, cut. One missing what the event
// needs is a PayloadError naming the fields (the endpoint answers 400 with it).
import { cut, escapeMarkdown, link, linkUrl } from '@tailmesh/bot-kit'
import { LIMITS, type MessageRecord } from '@tailmesh/core'

export const GITHUB_CARD = { pluginId: 'com.tailmesh.github', type: 'github' } as const
export const GITHUB_CARD_EVENTS = [
  'issues',
  'pull_request',
  'release',
  'issue_comment',
  'pull_request_review_comment',
] as const
export type GithubCardEvent = (typeof GITHUB_CARD_EVENTS)[number]

export class PayloadError extends Error {
  override readonly name = 'PayloadError'
}

type Json = Record<string, unknown>
const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const num = (v: unknown): number | undefined =>
  Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : undefined

export interface GithubMessage {
  text: string
  card: NonNullable<MessageRecord['card']>
}

const ICONS: Record<string, string> = {
  opened: '🟢',
  reopened: '🟢',
  closed: '🔴',
  merged: '🟣',
  published: '🏷️',
  created: '💬',
}

interface Subject {
  kind: 'issue' | 'pull request' | 'release'
  /** `#12 Title` or the release's name. */
  label: string
  url: string
  number?: number
  state?: string
}

function need<T>(value: T | undefined, event: string, fields: string): T {
  if (value === undefined) throw new PayloadError(`Not a GitHub ${event} payload: ${fields} required.`)
  return value
}

function thread(event: string, p: Json, key: 'issue' | 'pull_request'): Subject {
  const t = obj(p[key])
  const number = num(t.number)
  const title = str(t.title)
  const url = linkUrl(t.html_url) ?? undefined
  need(
    number !== undefined && title !== undefined ? url : undefined,
    event,
    `${key}.number, ${key}.title and an http(s) ${key}.html_url are`,
  )
  // An issue_comment's issue is a pull request when it has `pull_request`.
  const kind = key === 'pull_request' || t.pull_request !== undefined ? 'pull request' : 'issue'
  return {
    kind,
    label: `#${number} ${cut(title!, 120)}`,
    url: url!,
    number,
    ...(str(t.state) ? { state: str(t.state) } : {}),
  }
}

/** The start of a body on one line, or null. */
function excerpt(body: unknown): string | null {
  const text = str(body)?.replace(/\s+/g, ' ').trim()
  return text ? cut(text, 280) : null
}

/** The message for one of GITHUB_CARD_EVENTS; throws PayloadError when the payload is not one. */
export function formatGithubEvent(event: GithubCardEvent, payload: unknown): GithubMessage {
  const p = obj(payload)
  const action = need(str(p.action), event, 'action is')
  const who = str(obj(p.sender).login) ?? 'someone'
  const repo = obj(p.repository)
  const repoName = str(repo.full_name)
  let subject: Subject
  let verb: string
  let detail: string | null = null
  let url: string

  switch (event) {
    case 'issues':
    case 'pull_request': {
      subject = thread(event, p, event === 'issues' ? 'issue' : 'pull_request')
      const merged = event === 'pull_request' && action === 'closed' && obj(p.pull_request).merged === true
      verb = merged ? 'merged' : action.replace(/_/g, ' ')
      if (action === 'opened') detail = excerpt(obj(p[event === 'issues' ? 'issue' : 'pull_request']).body)
      url = subject.url
      break
    }
    case 'release': {
      const r = obj(p.release)
      const tag = str(r.tag_name)
      const releaseUrl = linkUrl(r.html_url) ?? undefined
      need(
        tag !== undefined ? releaseUrl : undefined,
        event,
        'release.tag_name and an http(s) release.html_url are',
      )
      subject = { kind: 'release', label: cut(str(r.name) ?? tag!, 120), url: releaseUrl! }
      verb = action.replace(/_/g, ' ')
      if (action === 'published') detail = excerpt(r.body)
      url = subject.url
      break
    }
    case 'issue_comment':
    case 'pull_request_review_comment': {
      subject = thread(event, p, event === 'issue_comment' ? 'issue' : 'pull_request')
      const comment = obj(p.comment)
      const commentUrl = linkUrl(comment.html_url) ?? undefined
      need(commentUrl, event, 'an http(s) comment.html_url is')
      verb = action === 'created' ? 'commented on' : `${action.replace(/_/g, ' ')} a comment on`
      detail = excerpt(comment.body)
      url = commentUrl!
      break
    }
  }

  const icon = ICONS[verb] ?? ICONS[action] ?? '🔔'
  const where = repoName ? ` in ${link(repoName, repo.html_url)}` : ''
  const object = event.endsWith('comment')
    ? `${subject.kind} ${link(subject.label, url)}`
    : `${subject.kind} ${link(subject.label, subject.url)}`
  const head = `${icon} **${escapeMarkdown(cut(who, 64))}** ${verb} ${object}${where}`
  const text = cut([head, ...(detail ? [`> ${escapeMarkdown(detail)}`] : [])].join('\n'), LIMITS.messageBody)
  return {
    text,
    card: {
      ...GITHUB_CARD,
      data: {
        event,
        action: verb,
        actor: cut(who, 64),
        kind: subject.kind,
        title: subject.label,
        url,
        ...(repoName ? { repo: cut(repoName, 140), repoUrl: linkUrl(repo.html_url) } : {}),
        ...(subject.number !== undefined ? { number: subject.number } : {}),
        ...(subject.state ? { state: subject.state } : {}),
        ...(detail ? { excerpt: detail } : {}),
      },
    },
  }
}
