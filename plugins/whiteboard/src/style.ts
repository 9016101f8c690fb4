// The whiteboard's look, scoped under .tm-wb and built on the app's theme variables.
import { addStyleOnce } from '@tailmesh/plugin-sdk'

export const WHITEBOARD_CSS = `
.tm-wb { display: flex; flex-direction: column; height: 100%; min-height: 24rem; gap: 6px; padding: 6px;
  box-sizing: border-box; color: var(--text); }
.tm-wb-tools { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.tm-wb-tools button { font: inherit; font-size: 0.85rem; padding: 4px 8px; border: 1px solid var(--border);
  border-radius: 6px; background: var(--bg); color: var(--text); cursor: pointer; }
.tm-wb-tools button[aria-pressed="true"] { background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
.tm-wb-tools button:disabled { opacity: 0.45; cursor: default; }
.tm-wb-tools button:focus-visible, .tm-wb canvas:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.tm-wb-tools .tm-wb-sep { width: 1px; align-self: stretch; background: var(--border); margin: 0 4px; }
.tm-wb-tools input[type=color] { width: 2rem; height: 1.8rem; padding: 0; border: 1px solid var(--border); border-radius: 6px; }
.tm-wb-zoom { color: var(--muted); font-size: 0.8rem; min-width: 6rem; }
.tm-wb-note { color: var(--muted); margin: 0; font-size: 0.875rem; }
.tm-wb-error { color: var(--error); margin: 0; font-size: 0.875rem; }
.tm-wb-note:empty, .tm-wb-error:empty { display: none; }
.tm-wb-stage { position: relative; flex: 1; min-height: max(16rem, 55vh); overflow: hidden; border: 1px solid var(--border);
  border-radius: 6px; background: #ffffff; }
.tm-wb-stage canvas { position: absolute; inset: 0; width: 100%; height: 100%; touch-action: none; }
.tm-wb-cursors { position: absolute; inset: 0; pointer-events: none; margin: 0; padding: 0; list-style: none; }
.tm-wb-cursor { position: absolute; left: 0; top: 0; font-size: 0.75rem; white-space: nowrap; }
.tm-wb-cursor::before { content: ''; display: block; width: 10px; height: 10px; border-radius: 50% 50% 50% 0;
  background: var(--cursor); transform: rotate(-90deg); }
.tm-wb-cursor span { display: inline-block; margin: 2px 0 0 8px; padding: 1px 5px; border-radius: 4px;
  background: var(--cursor); color: #ffffff; }
.tm-wb-editor { position: absolute; min-width: 8rem; min-height: 2rem; font: 16px system-ui, sans-serif;
  border: 1px dashed #1e66f5; background: rgba(255,255,255,0.9); color: #1f2328; resize: both; }
.tm-wb-list summary { cursor: pointer; color: var(--muted); font-size: 0.85rem; }
.tm-wb-list ul { max-height: 8rem; overflow: auto; margin: 4px 0; padding-inline-start: 1.2rem; font-size: 0.85rem; }
.tm-wb-list button { font: inherit; background: none; border: 0; color: var(--text); padding: 0; cursor: pointer; text-align: start; }
.tm-wb-list button[aria-pressed="true"] { font-weight: 600; color: var(--accent); }
`

export const ensureStyle = (doc: Document): void => addStyleOnce(doc, 'tm-wb-style', WHITEBOARD_CSS)
