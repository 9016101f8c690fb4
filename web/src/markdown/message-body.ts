// Safe HTML for message bodies as the message list shows them, without markdown-it and DOMPurify in
// the app shell: they are `import()`ed (render.ts) the first time a body needs them. Until then a
// plain sentence gets markdown-it's exact output (plain.ts) and anything else shows as escaped text;
// `markdownReady` then changes, so a Vue computed that rendered a body re-renders it.
//
// Rendering is the costliest part of showing a row, so rendered bodies are kept in a small LRU by
// message id (checked against its edit marker and body): a row scrolled out and back in, or
// re-rendered for a reaction, does not render its markdown again. Stand-ins shown before the load
// are never cached.
import { shallowRef } from 'vue'
import { escapeHtml, plainParagraph, textParagraph } from './plain'
import type * as RenderModule from './render'

type Renderer = typeof RenderModule

let renderer: Renderer | null = null
let loading: Promise<Renderer> | null = null
/** Becomes true once markdown-it and DOMPurify are loaded (reactive: bodies shown before re-render). */
export const markdownReady = shallowRef(false)

/** Loads the renderer (once; a failed load is tried again on the next call). */
export function loadMarkdown(): Promise<Renderer> {
  if (renderer) return Promise.resolve(renderer)
  loading ??= import('./render').then(
    (m) => {
      renderer = m
      markdownReady.value = true
      return m
    },
    (e: unknown) => {
      loading = null
      throw e
    },
  )
  return loading
}

/** No DOM (unit tests in Node): nothing a sender wrote may come back as markup. */
const hasDom = typeof document !== 'undefined'

/** The renderer's HTML once loaded; before that a stand-in, and the load is started. */
function render(body: string): { html: string; final: boolean } {
  void markdownReady.value // a dependency of the caller's computed, loaded or not
  if (renderer) {
    const html = (renderer.canSanitize() ? plainParagraph(body) : null) ?? renderer.renderMarkdown(body)
    return { html, final: true }
  }
  const plain = hasDom ? plainParagraph(body) : null
  if (plain !== null) return { html: plain, final: true }
  loadMarkdown().catch(() => undefined) // shown as text meanwhile; tried again by the next body
  return { html: hasDom ? textParagraph(body) : escapeHtml(body), final: false }
}

/**
 * A few screens of rows. Not more: scrolling through a long history renders every row once, and an
 * entry that outlives a couple of young-generation collections is promoted, so a big cache turns a
 * fast scroll into old-generation garbage (more major GCs, each a long pause: issue 5).
 */
const MAX_CACHED = 300
/** By message id (an existing string: no key is built per look-up). */
const cache = new Map<string, { edited: number | undefined; body: string; html: string }>()

/** Safe HTML for a message's body, cached by (id, edit marker, body). */
export function renderMessageBody(id: string, edited: number | undefined, body: string): string {
  const hit = cache.get(id)
  if (hit && hit.edited === edited && hit.body === body) {
    cache.delete(id)
    cache.set(id, hit)
    return hit.html
  }
  const { html, final } = render(body)
  if (final) {
    cache.delete(id)
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
    cache.set(id, { edited, body, html })
  }
  return html
}
