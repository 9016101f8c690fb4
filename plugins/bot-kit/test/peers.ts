// Test fixtures for bots, shared by the bot packages' suites: the real relay process (relay/'s own
// test helper, which runs relay/src/main.ts as `npm start` does) and a person on the Node side — a
// core peer with a Replica over the relay's mailbox — who creates a group and makes invite links
// exactly as the web app makes them.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import {
  Identity,
  MailboxTransport,
  MemoryStorage,
  Replica,
  createGroup,
  encodeInvitePayload,
  inviteLink,
  listMessages,
  rememberGroup,
  signProfile,
  validateProfile,
  type HistoryMessage,
  type OpenGroup,
} from '@tailmesh/core'
import { spawnRelay, type RelayProcess } from '@tailmesh/relay/test/relay-process'

export type { RelayProcess }

/** Starts the real relay on a free port with a temporary data directory. */
export function startRelay(): Promise<RelayProcess> {
  return spawnRelay()
}

export function tempDir(prefix = 'tailmesh-bot-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export interface Person {
  name: string
  identity: Identity
  group: OpenGroup
  replica: Replica
  /** The group's "general" panel. */
  general: string
  /** A fresh invite as the web app links it (app origin + `#/join/<payload>`). */
  invite(): Promise<string>
  /** The bodies of the messages in a panel (default general), in order. */
  bodies(panelId?: string): string[]
  messages(panelId?: string): readonly HistoryMessage[]
  close(): Promise<void>
}

/** A person who creates a group (named `groupName`) and keeps it in memory, synced through `relay`. */
export async function personWithGroup(relay: RelayProcess, name: string, groupName: string): Promise<Person> {
  const identity = await Identity.create()
  const profile = await signProfile(identity, validateProfile({ nickname: name, updatedAt: Date.now() }))
  const made = await createGroup(identity, { name: groupName, profile })
  const storage = new MemoryStorage()
  await rememberGroup(storage, made.groupId, made.key)
  const mailbox = new MailboxTransport({
    url: relay.mailboxUrl,
    WebSocket,
    backoff: { minMs: 50, maxMs: 300 },
  })
  const replica = await Replica.start({
    gate: made.gate,
    session: made.session,
    key: made.key,
    storage,
    transports: [mailbox],
  })
  // The genesis was signed before the replica existed: hand it over like any local envelope.
  for (const e of [...made.gate.accepted()]) await replica.deliver(e)
  const general = made.panelIds[0]!
  const messages = (panelId = general) => listMessages(made.gate, panelId).messages
  return {
    name,
    identity,
    group: made,
    replica,
    general,
    invite: async () => {
      const { secret } = await made.actions.createInvite()
      return inviteLink(
        `${relay.http}/`,
        encodeInvitePayload({ groupId: made.groupId, groupKey: made.key.raw, secret }),
      )
    },
    messages,
    bodies: (panelId) => messages(panelId).map((m) => m.body),
    close: async () => {
      await replica.close()
      await mailbox.close()
      await storage.close()
    },
  }
}

/** Polls `check` until it holds (no timing is asserted: the deadline only ends a hung test). */
export { until as eventually } from '@tailmesh/core/test/until'
