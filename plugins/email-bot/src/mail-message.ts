// A received mail as one chat message: who sent it, the subject, the plain text (HTML mail turned
// into text by html-to-text: no markup, no script, links as "text [url]"), escaped so
// nothing in the mail becomes markdown, cut to fit core's message limit; attachments up to a size
// limit as files, the others named in the text.
import { convert } from 'html-to-text'
import type { ParsedMail } from 'mailparser'
import { cut, escapeMarkdown } from '@tailmesh/bot-kit'
import { BLOB_LIMITS, LIMITS } from '@tailmesh/core'

export interface MailFile {
  name: string
  mime: string
  bytes: Uint8Array
}

export interface MailMessage {
  text: string
  files: MailFile[]
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i

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
  const body = escapeMarkdown(plainText(mail)).replace(/\n/g, '  \n')
  const text = [...head, '', cut(body, Math.max(0, room)), ...(tail.length ? ['', ...tail] : [])].join('\n')
  return { text: text.trimEnd(), files }
}
