// Notification sound preferences, per device (localStorage, like the language): on or off, and Do
// Not Disturb. There is no status preset yet, so DND is this switch, or a profile status that says
// so ("dnd", "Do not disturb", "请勿打扰").
import { shallowRef } from 'vue'

const SOUND_KEY = 'tailmesh.sound'
const DND_KEY = 'tailmesh.dnd'

function read(key: string, fallback: boolean): boolean {
  try {
    const v = localStorage.getItem(key)
    return v === null ? fallback : v === '1'
  } catch {
    return fallback
  }
}
function write(key: string, on: boolean): void {
  try {
    localStorage.setItem(key, on ? '1' : '0')
  } catch {
    // not kept: applies to this session only
  }
}

export const soundOn = shallowRef(read(SOUND_KEY, true))
export const doNotDisturb = shallowRef(read(DND_KEY, false))

export function setSoundOn(on: boolean): void {
  soundOn.value = on
  write(SOUND_KEY, on)
}
export function setDoNotDisturb(on: boolean): void {
  doNotDisturb.value = on
  write(DND_KEY, on)
}

const DND_STATUS = /^\s*(dnd|do not disturb|请勿打扰)\s*$/i
export const isDoNotDisturb = (status: string | undefined): boolean =>
  doNotDisturb.value || (status !== undefined && DND_STATUS.test(status))
