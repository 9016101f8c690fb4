// A received mail as one chat message: who sent it, the subject, the plain text (HTML mail turned
// into text by html-to-text: no markup, no script, links as "text [url]"), escaped so
// nothing in the mail becomes markdown, cut to fit core's message limit; attachments up to a size
// limit as files, the others named in the text. The same facts go in a mail card
// (`com.tailmesh.email` / `mail`, drawn by the app's mail card plugin) as plain data: the body is for
// members without the plugin.
import { convert } from 'html-to-text'
import type { ParsedMail } from 'mailparser'
import { cut, escapeMarkdown } from '@tailmesh/bot-kit'
import { BLOB_LIMITS, LIMITS, PLUGIN_LIMITS, type MessageRecord } from '@tailmesh/core'

export interface MailFile {
  name: string
  mime: string
  bytes: Uint8Array
}

export interface MailMessage {
  text: string
  files: MailFile[]
  card: NonNullable<MessageRecord['card']>
}

export const MAIL_CARD = { pluginId: 'com.tailmesh.email', type: 'mail' } as const
/** The most of a mail's text a card carries (then less, until the card fits core's JSON limit). */
const CARD_TEXT = 3000

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i

/** The mail card's data: what the mail says, as plain text (the card draws it with textContent). */
function cardData(mail: ParsedMail, text: string, files: number, skipped: string[]): Record<string, unknown> {
  const first = mail.from?.value[0]
  const base = {
    subject: cut(mail.subject?.trim() || '(no subject)', 200),
    from: {
      ...(first?.name ? { name: cut(first.name, 120) } : {}),
      ...(first?.address ? { address: cut(first.address, 200) } : {}),
    },
    ...(mail.date && !Number.isNaN(mail.date.getTime()) ? { date: mail.date.getTime() } : {}),
    files,
    ...(skipped.length ? { skipped: skipped.slice(0, 10).map((s) => cut(s, 120)) } : {}),
  }
  // JSON escapes make some texts longer than they look: cut until the card fits.
  for (let room = CARD_TEXT; ; room = Math.floor(room * 0.8)) {
    const data = { ...base, text: cut(text, room), cut: [...text].length > room }
    if (JSON.stringify(data).length <= PLUGIN_LIMITS.cardJson || room < 16) return data
  }
}

function sender(mail: ParsedMail): string {
  const first = mail.from?.value[0]
  if (!first) return 'an unknown sender'
  const address = first.address ? `<${first.address}>` : ''
  return [first.name, address].filter(Boolean).join(' ') || 'an unknown sender'
}

function fileName(name: string | undefined, index: number): string {
  // Path separators and control characters out: a name is only ever shown and offered for download.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim()
  return cut(clean || `attachment-${index + 1}`, BLOB_LIMITS.name)
}

/**
 * The mail's text part, or its HTML as text when it has none (mailparser fills `text` from HTML only
 * for a single-part mail): html-to-text drops tags, scripts and styles and writes links as text [url].
 */
function plainText(mail: ParsedMail): string {
  const text = mail.text?.trim()
  if (text) return text
  return typeof mail.html === 'string' ? convert(mail.html, { wordwrap: false }).trim() : ''
}

export function mailToMessage(mail: ParsedMail, attachmentLimitBytes: number): MailMessage {
  const files: MailFile[] = []
  const skipped: string[] = []
  mail.attachments.forEach((a, i) => {
    const name = fileName(a.filename, i)
    if (a.size > attachmentLimitBytes || files.length >= BLOB_LIMITS.perMessage)
      skipped.push(`${name} (${a.size} bytes)`)
    else
      files.push({
        name,
        mime: MIME.test(a.contentType) ? a.contentType.toLowerCase() : 'application/octet-stream',
        bytes: new Uint8Array(a.content),
      })
  })
  const head = [
    `📧 **${escapeMarkdown(cut(mail.subject?.trim() || '(no subject)', 200))}**`,
    `From: ${escapeMarkdown(cut(sender(mail), 200))}`,
  ]
  const tail = skipped.length
    ? [`Not posted (over ${attachmentLimitBytes} bytes or too many): ${escapeMarkdown(skipped.join(', '))}`]
    : []
  // Escaping can double a text's length: cut the escaped body to what is left after head and tail.
  const room = LIMITS.messageBody - [...[...head, ...tail].join('\n')].length - 4
  const plain = plainText(mail)
  const body = escapeMarkdown(plain).replace(/\n/g, '  \n')
  const text = [...head, '', cut(body, Math.max(0, room)), ...(tail.length ? ['', ...tail] : [])].join('\n')
  return {
    text: text.trimEnd(),
    files,
    card: { ...MAIL_CARD, data: cardData(mail, plain, files.length, skipped) },
  }
}
