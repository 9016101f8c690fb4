// The calendar's look, scoped under .tm-cal and built on the app's theme variables (SDK THEME_VARIABLES).
import { addStyleOnce } from '@tailmesh/plugin-sdk'

const CSS = `
.tm-cal { display: flex; flex-direction: column; gap: 12px; padding: 8px; overflow: auto; color: var(--text); }
.tm-cal-bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.tm-cal-note { color: var(--muted); margin: 0; font-size: 0.875rem; }
.tm-cal-error { color: var(--error); margin: 0; }
.tm-cal-error:empty, .tm-cal-note:empty { display: none; }
.tm-cal form { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 8px 12px;
  border: 1px solid var(--border); border-radius: 8px; padding: 12px; background: var(--bg-soft); }
.tm-cal form label { display: flex; flex-direction: column; gap: 2px; font-size: 0.875rem; }
.tm-cal form label.tm-cal-check { flex-direction: row; align-items: center; gap: 6px; }
.tm-cal form .tm-cal-wide { grid-column: 1 / -1; }
.tm-cal form textarea { min-height: 4rem; }
.tm-cal-list { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 8px; }
.tm-cal-event { border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; background: var(--bg); }
.tm-cal-event h3 { margin: 0 0 4px; font-size: 1rem; }
.tm-cal-event p { margin: 2px 0; }
.tm-cal-when { font-weight: 600; }
.tm-cal-desc { white-space: pre-wrap; }
.tm-cal-rsvp { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 6px; }
.tm-cal-rsvp button[aria-pressed="true"] { background: var(--accent); color: var(--accent-text); }
.tm-cal-actions { display: flex; gap: 6px; margin-top: 6px; }
.tm-cal-side { list-style: none; padding: 0; margin: 0; font-size: 0.875rem; }
.tm-cal-side li { margin: 2px 0; }
.tm-cal-side button { all: unset; cursor: pointer; display: block; width: 100%; padding: 2px 4px; border-radius: 4px; }
.tm-cal-side button:hover, .tm-cal-side button:focus-visible { background: var(--bg-soft); outline: 1px solid var(--accent); }
.tm-cal-side small { display: block; color: var(--muted); }
.tm-cal-day { margin: 12px 0 4px; font-size: 0.95rem; color: var(--muted); }
`

export const ensureStyle = (doc: Document): void => addStyleOnce(doc, 'tm-calendar-style', CSS)
