// A GitHub card's data (plugins/webhook-bot's github-events.ts writes it) read defensively into what
// the card shows, in the member's language.
import type { LocaleStrings } from '@tailmesh/plugin-sdk'
import { safeHref, textOf } from './frame'

export interface GithubCardView {
  /** The card's accessible name. */
  label: string
  icon: string
  /** "Issue opened", "Comment on pull request"… */
  what: string
  title: string
  url: string | null
  by: string | null
  repo: string | null
  repoUrl: string | null
  state: string | null
  excerpt: string | null
}

type T = (s: LocaleStrings) => string

const KINDS: Record<string, LocaleStrings> = {
  issue: { en: 'Issue', 'zh-CN': '议题' },
  'pull request': { en: 'Pull request', 'zh-CN': '拉取请求' },
  release: { en: 'Release', 'zh-CN': '版本' },
}
const VERBS: Record<string, LocaleStrings> = {
  opened: { en: 'opened', 'zh-CN': '已打开' },
  reopened: { en: 'reopened', 'zh-CN': '已重新打开' },
  closed: { en: 'closed', 'zh-CN': '已关闭' },
  merged: { en: 'merged', 'zh-CN': '已合并' },
  published: { en: 'published', 'zh-CN': '已发布' },
  created: { en: 'created', 'zh-CN': '已创建' },
  edited: { en: 'edited', 'zh-CN': '已编辑' },
}
const STATES: Record<string, LocaleStrings> = {
  open: { en: 'open', 'zh-CN': '开启' },
  closed: { en: 'closed', 'zh-CN': '已关闭' },
}
const ICONS: Record<string, string> = {
  opened: '🟢',
  reopened: '🟢',
  closed: '🔴',
  merged: '🟣',
  published: '🏷️',
}

/** The view of a GitHub card, or null when its data is not one (the message body shows instead). */
export function readGithubCard(data: Record<string, unknown>, t: T): GithubCardView | null {
  const kind = typeof data.kind === 'string' ? KINDS[data.kind] : undefined
  const title = textOf(data.title, 200)
  const verb = textOf(data.action, 60)
  if (!kind || !title || !verb) return null
  const comment = typeof data.event === 'string' && data.event.endsWith('comment')
  const what = comment
    ? t({ en: `Comment on ${kind.en.toLowerCase()}`, 'zh-CN': `${kind['zh-CN']}评论` })
    : t({
        en: `${kind.en} ${VERBS[verb]?.en ?? verb}`,
        'zh-CN': `${kind['zh-CN']}${VERBS[verb]?.['zh-CN'] ?? verb}`,
      })
  const actor = textOf(data.actor, 64)
  const state = textOf(data.state, 20)
  return {
    label: t({ en: `GitHub: ${what}: ${title}`, 'zh-CN': `GitHub：${what}：${title}` }),
    icon: comment ? '💬' : (ICONS[verb] ?? '🔔'),
    what,
    title,
    url: safeHref(data.url),
    by: actor ? t({ en: `by ${actor}`, 'zh-CN': `由 ${actor}` }) : null,
    repo: textOf(data.repo, 140),
    repoUrl: safeHref(data.repoUrl),
    state: state ? (STATES[state] ? t(STATES[state]) : state) : null,
    excerpt: textOf(data.excerpt, 400),
  }
}
