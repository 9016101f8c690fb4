// A mail card's data (plugins/email-bot's mail-message.ts writes it) read defensively into what the
// card shows, in the member's language.
import type { LocaleStrings } from '@tailmesh/plugin-sdk'
import { textOf } from './frame'

export interface MailCardView {
  /** The card's accessible name. */
  label: string
  subject: string
  /** "From: Ann Lee <ann@example.test>" */
  from: string
  date: number | null
  text: string
  /** The mail went on beyond `text`. */
  cut: boolean
  /** "1 file attached" and what was not posted, or null. */
  files: string | null
  skipped: string | null
}

type T = (s: LocaleStrings) => string

/** How much of a long mail shows before "Show the whole mail". */
export const MAIL_PREVIEW = 400

export function readMailCard(data: Record<string, unknown>, t: T): MailCardView | null {
  const subject = textOf(data.subject, 200)
  if (!subject) return null
  const from = (typeof data.from === 'object' && data.from !== null ? data.from : {}) as Record<
    string,
    unknown
  >
  const name = textOf(from.name, 120)
  const address = textOf(from.address, 200)
  const sender = [name, address ? `<${address}>` : null].filter(Boolean).join(' ') || t(UNKNOWN)
  const files = typeof data.files === 'number' && Number.isSafeInteger(data.files) ? data.files : 0
  const skipped = Array.isArray(data.skipped)
    ? data.skipped.flatMap((s) => textOf(s, 120) ?? []).slice(0, 10)
    : []
  const date = typeof data.date === 'number' && Number.isFinite(data.date) ? data.date : null
  return {
    label: t({ en: `Mail: ${subject}, from ${sender}`, 'zh-CN': `邮件：${subject}，发件人 ${sender}` }),
    subject,
    from: t({ en: `From: ${sender}`, 'zh-CN': `发件人：${sender}` }),
    date,
    text: typeof data.text === 'string' ? data.text : '',
    cut: data.cut === true,
    files:
      files > 0
        ? t({
            en: files === 1 ? '1 file attached below' : `${files} files attached below`,
            'zh-CN': `附件 ${files} 个（见下方）`,
          })
        : null,
    skipped: skipped.length
      ? t({ en: `Not posted: ${skipped.join(', ')}`, 'zh-CN': `未发布：${skipped.join('，')}` })
      : null,
  }
}

const UNKNOWN: LocaleStrings = { en: 'an unknown sender', 'zh-CN': '未知发件人' }

export const MAIL_STRINGS = {
  kicker: { en: 'Mail', 'zh-CN': '邮件' },
  more: { en: 'Show the whole mail', 'zh-CN': '显示全文' },
  less: { en: 'Show less', 'zh-CN': '收起' },
  cut: {
    en: 'The mail was longer: the rest was not posted.',
    'zh-CN': '邮件更长：其余部分未发布。',
  },
} satisfies Record<string, LocaleStrings>
