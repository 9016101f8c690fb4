// Which peer-to-peer network a group is on (transport-mode.ts: the WebRTC mesh for small groups,
// libp2p above the member limit or when the config pins it) and the switch between them: the new
// network's links open first, the old one's close after a grace period, so nothing sent during the
// switch is lost (the gate drops what arrives twice).
import type { AuthorityState } from '../../group/authority-state'
import { transportMode, type TransportMode } from '../transport-mode'

export interface ModeSwitchDeps {
  /** The member limit above which a group uses libp2p (transport-mode.ts's default when left out). */
  memberLimit?: number
  /** How long the network being left keeps running (default 30 s). */
  graceMs?: number
  /** Opens the links of `mode`'s transports. */
  open(mode: TransportMode): Promise<void>
  /** Closes the links of `mode` (the grace period is over and the group did not come back to it). */
  leave(mode: TransportMode): void
}

export class ModeSwitch {
  private current: TransportMode | null = null
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(private readonly d: ModeSwitchDeps) {}

  /** The mode the group is in (null before the first `follow`). */
  get mode(): TransportMode | null {
    return this.current
  }

  /** Moves to the mode `state` calls for, if it is another. */
  async follow(state: AuthorityState): Promise<void> {
    const next = transportMode(state, this.d.memberLimit)
    if (next === this.current) return
    const previous = this.current
    this.current = next
    await this.d.open(next)
    if (previous === null) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (this.current !== previous) this.d.leave(previous)
    }, this.d.graceMs ?? 30_000)
    this.timers.add(timer)
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}
