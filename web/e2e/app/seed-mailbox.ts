// What every seeded group ends with (app/seed-history.ts, app/seed-members.ts): its envelopes handed,
// in the order given, to the real relay's mailbox through core's Replica (as a member's device hands
// on what it holds; the relay stores them sealed, every reader's gate judges them), and the invite
// link a person in Chromium joins from.
import { WebSocket } from 'ws'
import {
  MailboxTransport,
  MemoryStorage,
  Replica,
  type Envelope,
  type OpenGroup,
  type GroupKey,
  type WebSocketConstructor,
} from '@tailmesh/core'
import { encodeInvitePayload, inviteLink } from '../../src/client/invite-link'

/** Delivers `envelopes` to the relay's mailbox, one after another; returns the invite link for `secret`. */
export async function publishToMailbox(
  relayUrl: string,
  group: OpenGroup & { key: GroupKey },
  envelopes: Envelope[],
  secret: Uint8Array,
): Promise<string> {
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key: group.key,
    storage: new MemoryStorage(),
    transports: [
      new MailboxTransport({
        url: relayUrl.replace(/^http/, 'ws') + 'mailbox',
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      }),
    ],
  })
  for (const e of envelopes) await replica.deliver(e)
  await replica.close()
  return inviteLink(
    relayUrl,
    encodeInvitePayload({ groupId: group.groupId, groupKey: group.key.raw, secret }),
  )
}
