// Small DOM helpers: every text goes in with textContent (never innerHTML), every control gets a name.
export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: Partial<{ className: string; text: string; label: string }> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag)
  if (props.className) node.className = props.className
  if (props.text !== undefined) node.textContent = props.text
  if (props.label) node.setAttribute('aria-label', props.label)
  node.append(...children)
  return node
}

export function button(doc: Document, text: string, onClick: () => void, className = ''): HTMLButtonElement {
  const b = el(doc, 'button', { text, className })
  b.type = 'button'
  b.addEventListener('click', onClick)
  return b
}

/** Saves `text` as a file the browser downloads (an object URL, revoked once clicked). */
export function download(
  doc: Document,
  name: string,
  text: string,
  type = 'text/calendar;charset=utf-8',
): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = el(doc, 'a')
  a.href = url
  a.download = name
  a.hidden = true
  doc.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))
