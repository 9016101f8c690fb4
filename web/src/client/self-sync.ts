// My read marks and saved messages on all my devices: core's SelfChannel on my self topic, carried by
// this page's relay mailbox (like the friend channel). Loaded lazily once there is an identity.
import {
  MailboxTransport,
  SelfChannel,
  selfSecretOf,
  type ReadState,
  type SavedMessages,
} from '@tailmesh/core'
import { appLogger } from '../diagnostics'
import type { TailmeshClient } from './client'
import { relayEndpoints } from './config'

export async function startSelfSync(
  client: TailmeshClient,
  reads: ReadState,
  saved: SavedMessages,
): Promise<SelfChannel | null> {
  const me = client.me
  const { identity } = client.friendIdentity()
  // Derived on the device holding the identity key; handed to a linked device when it was paired.
  const secret = identity.device
    ? await client.linkedSelfSecret()
    : await selfSecretOf(identity).catch(() => null)
  // A device linked before devices shared a self secret has none: its state stays its own.
  if (!me || !secret) return null
  return SelfChannel.start({
    userId: me.userId,
    secret,
    transports: [new MailboxTransport({ url: relayEndpoints().mailbox, logger: appLogger() })],
    reads,
    saved,
    logger: appLogger(),
  })
}
