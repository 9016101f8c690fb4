// The sound for a new message: a short two-note chime made with WebAudio (no file, nothing fetched),
// and when to play it — a message from someone else that just arrived in a panel not muted on this
// device, other than the one I am reading with the page in view; never in Do Not Disturb; at most
// once a second while a backlog arrives. Messages older than a minute (catching up) are silent.
import type { GroupHandle } from '../client'
import { tailmesh } from '../tailmesh'
import { isDoNotDisturb, soundOn } from './sound-settings'

const FRESH_MS = 60_000
const QUIET_MS = 1_000

let audio: AudioContext | null = null
let lastPlayed = 0

export function chime(): void {
  const now = Date.now()
  if (now - lastPlayed < QUIET_MS) return
  lastPlayed = now
  try {
    audio ??= new AudioContext()
    const t = audio.currentTime
    for (const [i, freq] of [880, 1318.5].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.type = 'sine'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, t + i * 0.09)
      gain.gain.exponentialRampToValueAtTime(0.15, t + i * 0.09 + 0.01)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.09 + 0.25)
      osc.connect(gain).connect(audio.destination)
      osc.start(t + i * 0.09)
      osc.stop(t + i * 0.09 + 0.3)
    }
  } catch (e) {
    // No audio device, or the browser keeps audio for after a gesture: the message still shows.
    console.warn('notification sound not played', e)
  }
}

export interface SoundContext {
  /** The group and panel on screen, if any. */
  open(): { groupId: string; panelId: string } | null
  muted(panelId: string): boolean
  status(): string | undefined
}

/** Watches every group this device keeps and chimes for new messages. Returns a stop function. */
export function watchForSounds(ctx: SoundContext): () => void {
  const newest = new Map<string, number>()
  const stops = new Map<string, () => void>()
  const key = (h: GroupHandle, panelId: string) => `${h.groupId} ${panelId}`

  function check(h: GroupHandle, panelId: string): void {
    const messages = h.messages(panelId)
    const last = messages[messages.length - 1]
    const k = key(h, panelId)
    const seen = newest.get(k)
    newest.set(k, Math.max(seen ?? 0, last?.hlc ?? 0))
    if (seen === undefined || !last || last.hlc <= seen) return
    const fresh = messages.some(
      (m) => m.hlc > seen && m.author !== h.me && m.state === 'normal' && Date.now() - m.wallMs < FRESH_MS,
    )
    if (!fresh || !soundOn.value || isDoNotDisturb(ctx.status()) || ctx.muted(panelId)) return
    const open = ctx.open()
    const reading =
      open?.groupId === h.groupId && open.panelId === panelId && document.visibilityState === 'visible'
    if (!reading) chime()
  }

  function follow(): void {
    for (const h of tailmesh.list()) {
      if (stops.has(h.groupId)) continue
      for (const p of h.panels()) if (p.type === 'text') check(h, p.id)
      stops.set(
        h.groupId,
        h.onChange((c) => c.kind === 'panel' && check(h, c.panelId)),
      )
    }
  }
  follow()
  const unfollow = tailmesh.onGroupsChanged(follow)
  return () => {
    unfollow()
    for (const s of stops.values()) s()
  }
}
