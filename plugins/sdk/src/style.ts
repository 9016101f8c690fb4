// A plugin's stylesheet in the page it mounts into: added once per document under the plugin's own
// element id, so every card or panel a plugin mounts shares one <style> (and re-mounts add nothing).

/** Adds `<style id={id}>` with `css` to `doc`'s head unless an element with that id is already there. */
export function addStyleOnce(doc: Document, id: string, css: string): void {
  if (doc.getElementById(id)) return
  const style = doc.createElement('style')
  style.id = id
  style.textContent = css
  doc.head.append(style)
}
