// A plugin's stylesheet in the page it mounts into: added once per document under the plugin's own
// id, so every card or panel a plugin mounts shares one sheet (and re-mounts add nothing).
//
// The sheet is a constructed CSSStyleSheet adopted by the document, not a <style> element: the app's
// Content-Security-Policy (style-src 'self', relay/src/csp.ts) refuses inline <style> elements, and
// constructed sheets are not inline markup. Where constructed sheets are missing (older engines, test
// DOMs), a <style> element is the fallback.

const adopted = new WeakMap<Document, Set<string>>()

/** Adds a stylesheet with `css` to `doc` unless one with that id was added already. */
export function addStyleOnce(doc: Document, id: string, css: string): void {
  const ids = adopted.get(doc) ?? new Set<string>()
  if (ids.has(id) || doc.getElementById(id)) return
  const view = doc.defaultView as (Window & typeof globalThis) | null
  if (view && typeof view.CSSStyleSheet === 'function' && Array.isArray(doc.adoptedStyleSheets)) {
    try {
      const sheet = new view.CSSStyleSheet()
      sheet.replaceSync(css)
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet]
      ids.add(id)
      adopted.set(doc, ids)
      return
    } catch {
      // fall back to an element below
    }
  }
  const style = doc.createElement('style')
  style.id = id
  style.textContent = css
  doc.head.append(style)
}
