// "Remind me N minutes before" (per device, the plugin's storage) and the button that asks the
// browser for notification permission (only on a click: browsers ignore unasked prompts).
import type { PluginApi } from '@tailmesh/plugin-sdk'
import { el } from './dom'
import { S } from './strings'

export const REMIND_MINUTES = 'remindMinutes'
export const DEFAULT_MINUTES = 10

export function remindMinutes(api: PluginApi): number {
  const v = api.storage.get<number>(REMIND_MINUTES)
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : DEFAULT_MINUTES
}

type T = (s: { en: string; 'zh-CN'?: string }) => string

export function reminderSettings(api: PluginApi, doc: Document, t: T): HTMLElement {
  const box = el(doc, 'div', { className: 'tm-cal-bar' })
  const input = el(doc, 'input')
  input.type = 'number'
  input.min = '0'
  input.max = '10080'
  input.value = String(remindMinutes(api))
  input.addEventListener('change', () => {
    const n = Math.round(Number(input.value))
    if (Number.isFinite(n) && n >= 0 && n <= 10080) api.storage.set(REMIND_MINUTES, n)
    input.value = String(remindMinutes(api))
  })
  const label = el(doc, 'label', {}, `${t(S.remind)} `, input)
  const note = el(doc, 'p', { className: 'tm-cal-note', text: t(S.remindHint) })
  box.append(label)
  const supported = typeof Notification !== 'undefined'
  if (supported && Notification.permission === 'default') {
    const ask = el(doc, 'button', { text: t(S.allow) })
    ask.type = 'button'
    ask.addEventListener('click', () => void Notification.requestPermission().then(() => ask.remove()))
    box.append(ask)
  } else if (supported && Notification.permission === 'denied') {
    box.append(el(doc, 'p', { className: 'tm-cal-note', text: t(S.blocked) }))
  }
  box.append(note)
  return box
}
