// The sound for a new message: a short two-note chime made with WebAudio (no file, nothing fetched),
// and when to play it — a message from someone else that just arrived in a panel not muted on this
// device, other than the one I am reading with the page in view; never in Do Not Disturb; one chime
// for messages that land together. Messages older than a minute (catching up) are silent.
import type { GroupHandle } from '../client'
import { tailmesh } from '../tailmesh'
import { isDoNotDisturb, soundOn } from './sound-settings'

const FRESH_MS = 60_000
/** Messages that land together (a bundle from a peer, several panels at once) make one chime. */
const GATHER_MS = 150

let audio: AudioContext | null = null
let gathering: ReturnType<typeof setTimeout> | null = null

export function chime(): void {
  if (gathering) return
  gathering = setTimeout(() => {
    gathering = null
    play()
  }, GATHER_MS)
}

function play(): void {
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
  // Per panel, the newest message time already considered; a panel first seen now starts at the
  // moment the watch began (so its first message after that still counts).
  const startedAt = Date.now()
  const seenUntil = new Map<string, number>()
  const stops = new Map<string, () => void>()

  function check(h: GroupHandle, panelId: string): void {
    const k = `${h.groupId} ${panelId}`
    const seen = seenUntil.get(k) ?? startedAt
    const messages = h.messages(panelId)
    const fresh = messages.filter((m) => m.wallMs > seen)
    if (!fresh.length) return
    seenUntil.set(k, Math.max(seen, ...fresh.map((m) => m.wallMs)))
    const now = Date.now()
    const news = fresh.some((m) => m.author !== h.me && m.state === 'normal' && now - m.wallMs < FRESH_MS)
    if (!news || !soundOn.value || isDoNotDisturb(ctx.status()) || ctx.muted(panelId)) return
    const open = ctx.open()
    const reading =
      open?.groupId === h.groupId && open.panelId === panelId && document.visibilityState === 'visible'
    if (!reading) chime()
  }

  function follow(): void {
    for (const h of tailmesh.list()) {
      if (stops.has(h.groupId)) continue
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
