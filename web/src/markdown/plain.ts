// What a message body needs before markdown-it and DOMPurify are loaded (they are not in the app
// shell: message-body.ts loads them on first need): escaping, and markdown-it's exact output for the
// plain one-line sentences most chat messages are, built directly. Imports nothing.

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * One line that markdown-it renders as a bare paragraph: it starts with a letter (no list, heading,
 * quote or code marker), holds only letters, digits, single spaces and , : ; ! ? ' " and a full stop
 * only before a space or at the end (so no link, e-mail address, emphasis, entity or escape), and
 * does not end with a space.
 */
const PLAIN = /^\p{L}(?:[\p{L}\p{N},:;!?'"]| (?=[^ ])|\.(?= [^ ]|$))*$/u

/**
 * markdown-it's exact output for a plain body (see PLAIN), or null when the body is not plain. It
 * holds no '<' or '&' of the sender's, so it needs no sanitising (render.test.ts checks it against
 * markdown-it).
 */
export function plainParagraph(body: string): string | null {
  return isPlain(body) ? `<p>${body.replace(/"/g, '&quot;')}</p>\n` : null
}

/**
 * Whether markdown-it renders `body` as a bare paragraph of its text (see PLAIN): such a body can
 * be shown as a text node in a <p>, which a recycled row updates in place, instead of HTML parsed
 * into new elements each time.
 */
export const isPlain = (body: string): boolean => PLAIN.test(body)

/** A body shown as text (every character escaped, line breaks kept) until markdown is loaded. */
export function textParagraph(body: string): string {
  return `<p>${escapeHtml(body).replace(/\n/g, '<br>\n')}</p>\n`
}
