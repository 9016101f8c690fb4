// The notes panel, framework-free: a textarea bound to the shared text and a live preview. Local
// typing becomes splices of the shared Y.Text; others' edits (through the gate) replace the
// textarea's value with the caret kept where it was relative to the text around it.

import type { Dispose, PanelContext } from '@tailmesh/plugin-sdk'
import { editNotes, moveCursor, readNotes } from './notes'
import { renderNotes } from './preview'
import { S } from './strings'
import { ensureStyle } from './style'

export function mountNotesPanel(el: HTMLElement, ctx: PanelContext): Dispose {
  const doc = el.ownerDocument
  ensureStyle(doc)
  const state = ctx.state
  const root = doc.createElement('div')
  root.className = 'tm-notes'
  const editor = doc.createElement('textarea')
  editor.setAttribute('aria-label', ctx.t(S.editor))
  editor.placeholder = ctx.t(S.placeholder)
  editor.spellcheck = true
  const canEdit = ctx.can('message', ctx.panelId)
  editor.readOnly = !canEdit
  const note = doc.createElement('p')
  note.className = 'tm-notes-note'
  if (!canEdit) note.textContent = ctx.t(S.readOnly)
  const alert = doc.createElement('p')
  alert.setAttribute('role', 'alert')
  alert.className = 'tm-notes-error'
  const preview = doc.createElement('section')
  preview.className = 'tm-notes-preview'
  preview.setAttribute('aria-label', ctx.t(S.preview))
  root.append(editor, note, alert, preview)
  el.append(root)

  /** The shared text as the editor last showed it: the "before" of the next local edit. */
  let shown = readNotes(state)
  editor.value = shown
  const drawPreview = () => {
    if (shown.trim()) preview.innerHTML = renderNotes(shown)
    else preview.textContent = ctx.t(S.empty)
  }
  drawPreview()

  const sync = () => {
    const now = readNotes(state)
    if (now === shown && now === editor.value) return
    const focused = doc.activeElement === editor
    const [start, end] = [editor.selectionStart, editor.selectionEnd]
    editor.value = now
    if (focused) editor.setSelectionRange(moveCursor(start, shown, now), moveCursor(end, shown, now))
    shown = now
    drawPreview()
  }
  editor.addEventListener('input', () => {
    const before = shown
    shown = editor.value
    drawPreview()
    alert.textContent = ''
    editNotes(state, before, shown).catch((e: unknown) => {
      alert.textContent = e instanceof Error ? e.message : String(e)
      // The gate refused the edit and rolled it back: show the shared text again.
      sync()
    })
  })

  const off = state.onChange(sync)
  return () => {
    off()
    root.remove()
  }
}
