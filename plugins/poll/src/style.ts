// The card's look, scoped under .tm-poll and built on the app's theme variables (SDK THEME_VARIABLES).
import { addStyleOnce } from '@tailmesh/plugin-sdk'

export const POLL_CSS = `
.tm-poll { border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; max-width: 28rem; }
.tm-poll h3 { margin: 0 0 6px; font-size: 1rem; }
.tm-poll ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.tm-poll li button { position: relative; width: 100%; display: flex; justify-content: space-between;
  gap: 8px; padding: 6px 8px; border: 1px solid var(--border); border-radius: 6px; background: var(--bg);
  color: var(--text); cursor: pointer; overflow: hidden; text-align: start; }
.tm-poll li button[aria-pressed='true'] { border-color: var(--accent); font-weight: 600; }
.tm-poll li button:disabled { cursor: default; }
.tm-poll li button > span { position: relative; z-index: 1; }
.tm-poll .tm-poll-bar { position: absolute; inset: 0 auto 0 0; background: var(--bg-soft); z-index: 0; }
.tm-poll p { margin: 6px 0 0; color: var(--muted); font-size: 0.875rem; }
.tm-poll .tm-poll-error { color: var(--error); }
.tm-poll div { display: flex; gap: 8px; margin-top: 6px; }
`

/** Adds the stylesheet once per document. */
export const ensureStyle = (doc: Document): void => addStyleOnce(doc, 'tm-poll-style', POLL_CSS)
