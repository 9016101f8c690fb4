// Real mentions as chips in a rendered body: `@Nickname` of a member the message mentions (core's
// `mentions.users`) and `#panel` of a panel it names (`mentions.panels`, a link that opens the panel).
// Text that merely looks like one (a typed "@Someone" that named nobody) stays plain text, so what
// looks like a mention is one. Works on the safe HTML the renderer made (every `<` and `&` in text is
// escaped there); it adds only its own markup, with labels escaped, and leaves code and links alone.
import { escapeHtml } from './plain'

export interface MentionChips {
  /** The mentioned members: label (their nickname) and user id (the chip opens their profile card). */
  users: readonly { label: string; userId: string }[]
  /** The panels named: label and the app address that opens it. */
  panels: readonly { label: string; href: string }[]
}

const SKIP_INSIDE = new Set(['a', 'code', 'pre'])

/** The body's HTML with each written mention of `chips` wrapped as a chip. */
export function withMentionChips(html: string, chips: MentionChips): string {
  if (!chips.users.length && !chips.panels.length) return html
  const labels = [
    ...chips.users.map((u) => ({ text: `@${escapeHtml(u.label)}`, chip: userChip(u.label, u.userId) })),
    ...chips.panels.map((p) => ({ text: `#${escapeHtml(p.label)}`, chip: panelChip(p.label, p.href) })),
  ].sort((a, b) => b.text.length - a.text.length)
  const lowered = labels.map((l) => l.text.toLocaleLowerCase())
  let depth = 0
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith('<')) {
        const m = /^<(\/?)([a-zA-Z0-9]+)/.exec(part)
        if (m && SKIP_INSIDE.has(m[2]!.toLowerCase())) depth += m[1] ? -1 : 1
        return part
      }
      return depth > 0 ? part : chipText(part, labels, lowered)
    })
    .join('')
}

function chipText(text: string, labels: { text: string; chip: string }[], lowered: string[]): string {
  const lower = text.toLocaleLowerCase()
  let out = ''
  let i = 0
  while (i < text.length) {
    const atBoundary = i === 0 || /[\s([{;]/.test(text[i - 1]!)
    const k =
      atBoundary && (text[i] === '@' || text[i] === '#')
        ? lowered.findIndex((l) => lower.startsWith(l, i))
        : -1
    const end = k >= 0 ? i + lowered[k]!.length : -1
    if (k >= 0 && (end === text.length || /[\s.,:;!?)\]}&<]/.test(text[end]!))) {
      out += labels[k]!.chip
      i = end
    } else out += text[i++]
  }
  return out
}

// A button: it opens the member's profile card (components/chat/MessageRow.vue listens for it).
const userChip = (label: string, userId: string) =>
  `<button type="button" class="mention" data-mention="user" data-user-id="${escapeHtml(userId)}">@${escapeHtml(label)}</button>`
const panelChip = (label: string, href: string) =>
  `<a class="mention" data-mention="panel" href="${escapeHtml(href)}">#${escapeHtml(label)}</a>`
