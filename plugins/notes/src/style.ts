// The panel's look, scoped under .tm-notes and built on the app's theme variables (SDK THEME_VARIABLES).
import { addStyleOnce } from '@tailmesh/plugin-sdk'

export const NOTES_CSS = `
.tm-notes { display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: 1fr auto auto;
  gap: 8px 12px; height: 100%; min-height: 20rem; padding: 8px; box-sizing: border-box; }
.tm-notes textarea { grid-row: 1; grid-column: 1; resize: none; font: 0.9rem/1.5 ui-monospace, monospace;
  padding: 8px; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--text); }
.tm-notes textarea:focus-visible { outline: 2px solid var(--accent); }
.tm-notes-preview { grid-row: 1 / span 3; grid-column: 2; overflow: auto; padding: 0 8px;
  border-inline-start: 1px solid var(--border); color: var(--text); }
.tm-notes-note { color: var(--muted); margin: 0; font-size: 0.875rem; }
.tm-notes-error { color: var(--error); margin: 0; font-size: 0.875rem; }
.tm-notes-note:empty, .tm-notes-error:empty { display: none; }
@media (max-width: 640px) {
  .tm-notes { grid-template-columns: 1fr; grid-template-rows: 16rem auto auto auto; }
  .tm-notes-preview { grid-row: 4; grid-column: 1; border: 0; }
}
`

/** Adds the stylesheet once per document. */
export const ensureStyle = (doc: Document): void => addStyleOnce(doc, 'tm-notes-style', NOTES_CSS)
