// A modified client, for the browser tests only: with `?tailmesh-test-hooks` in the page address,
// `window.tailmeshTest` sends operations with this client's own permission checks skipped (core's
// `skipLocalChecks`), as a tampered app would. Never installed otherwise. It grants nothing: every
// other peer's gate judges the envelopes these produce, which is what the tests show.
import type { TailmeshClient } from './client'
import type { callStats } from './calls'
import type { forgedCall } from './forged-call'
import { loadedLibp2p } from './libp2p-lazy'
import { forgedActions, type Point } from './manage'

export interface TestHooks {
  /** Creates a role with these points, as a modified client would; resolves to its id. */
  forgeRole(groupId: string, name: string, points: string[]): Promise<string>
  forgeAssign(groupId: string, userId: string, roleId: string): Promise<void>
  /** Rewrites a role's points (e.g. the everyone role's), as a modified client would. */
  forgeRolePoints(groupId: string, roleId: string, points: string[]): Promise<void>
  forgeKick(groupId: string, userId: string): Promise<void>
  forgeBan(groupId: string, userId: string): Promise<void>
  /**
   * Writes `value` under `key` in a plugin's shared state for a panel, whatever the UI allows; resolves
   * to this client's own gate's refusal (the envelope has gone out to the others anyway), or null.
   */
  forgePluginShared(
    groupId: string,
    pluginId: string,
    panelId: string,
    key: string,
    value: unknown,
  ): Promise<string | null>
  me(): string | null
  /** Per peer of this page's call: audio bytes, video frames and bytes received (getStats). */
  callStats(): ReturnType<typeof callStats>
  /** Calls from now on use only TURN relays ('relay'), or any path ('all'). */
  callIcePolicy(policy: RTCIceTransportPolicy): Promise<void>
  /**
   * Sends a signed offer into a call room anyway, skipping this client's own checks (a modified
   * client): to everyone heard in it now, or to the sessions given (remembered from before a ban).
   * Resolves with how many offers went out.
   */
  forgeCallOffer(groupId: string, panelId: string, sessions?: string[]): Promise<number>
  /** The sessions (base64url) heard in a voice panel's room now. */
  callSessions(groupId: string, panelId: string): string[]
  /** The forged call's connection state and bytes received (null before one was forged). */
  forgedCall(): ReturnType<typeof forgedCall>
  /** The group's pinned transport from its config ('auto' when none). */
  transport(groupId: string): string
  /** Frames received by the open groups per transport kind ('mailbox', 'webrtc', 'libp2p', ...). */
  framesByKind(): Record<string, number>
  /** This page's libp2p node (null until a group entered libp2p mode): its id and connections. */
  libp2p(): {
    peerId: string | null
    connections: { peer: string; address: string; limited: boolean }[]
  } | null
}

declare global {
  interface Window {
    tailmeshTest?: TestHooks
  }
}

export const TEST_HOOKS_FLAG = 'tailmesh-test-hooks'

export function installTestHooks(client: TailmeshClient, search = location.search): void {
  if (!new URLSearchParams(search).has(TEST_HOOKS_FLAG)) return
  const actions = (groupId: string) => {
    const handle = client.group(groupId)
    if (!handle) throw new Error(`group ${groupId} is not open here`)
    return forgedActions(handle)
  }
  window.tailmeshTest = {
    // The points arrive from the test as plain strings; core's validator checks them.
    forgeRole: (g, name, points) => actions(g).createRole({ name, points: points as Point[] }),
    forgeAssign: (g, userId, roleId) => actions(g).assignRole(userId, roleId),
    forgeRolePoints: (g, roleId, points) => actions(g).updateRole(roleId, { points: points as Point[] }),
    forgeKick: (g, userId) => actions(g).kick(userId),
    forgeBan: (g, userId) => actions(g).ban(userId),
    forgePluginShared: async (g, pluginId, panelId, key, value) => {
      const handle = client.group(g)
      if (!handle) throw new Error(`group ${g} is not open here`)
      const state = await handle.pluginState(pluginId, panelId)
      try {
        await state.change(() => state.shared().set(key, value))
        return null
      } catch (e) {
        return e instanceof Error ? e.message : String(e)
      }
    },
    me: () => client.me?.userId ?? null,
    // The call hooks load with the calls chunk, not with the app shell.
    callStats: async () => (await import('./calls')).callStats(),
    callIcePolicy: async (policy) => {
      ;(await import('./calls')).callNetwork.iceTransportPolicy = policy
    },
    forgeCallOffer: async (g, panelId, sessions) => {
      const hub = client.group(g)?.calls()
      if (!hub) throw new Error(`group ${g} has no calls here`)
      return (await import('./forged-call')).forgeOffer(hub, panelId, sessions)
    },
    callSessions: (g, panelId) =>
      (client.group(g)?.calls()?.participants({ panelId, callId: '' }) ?? []).map((p) => p.session),
    forgedCall: async () => (await import('./forged-call')).forgedCall(),
    transport: (g) => {
      const pinned = client.group(g)?.group.gate.authority().info?.config['transport']
      return typeof pinned === 'string' ? pinned : 'auto'
    },
    framesByKind: () => {
      const counts: Record<string, number> = {}
      for (const t of client.list().flatMap((g) => g.transports()))
        counts[t.kind] = (counts[t.kind] ?? 0) + t.frames
      return counts
    },
    libp2p: () => {
      const t = loadedLibp2p()
      return t && { peerId: t.peerId, connections: t.connections() }
    },
  }
}
