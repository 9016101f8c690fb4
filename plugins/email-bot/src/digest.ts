// Who wants a daily digest of their mentions, where, and what it will say. Kept in the bot's own
// values (bot-kit), so it survives restarts: `address:<userId>` → the address, `mentions:<userId>` →
// the mentions since the last digest (the newest MAX_KEPT); `subscribers` → their user ids.
import type { BotValues } from '@tailmesh/bot-kit'

export interface Mention {
  groupName: string
  panelName: string
  authorName: string
  /** The message's markdown, cut. */
  body: string
  at: number
}

export const MAX_KEPT = 200

export interface Subscription {
  address: string
  nickname: string
}

/** `!digest <address>` or `!digest off`, or null when the message is not the command. */
export function parseDigestCommand(
  body: string,
): { address: string } | { off: true } | { bad: string } | null {
  const m = /^\s*!digest(?:\s+(\S+))?\s*$/i.exec(body)
  if (!m) return null
  const arg = m[1]
  if (!arg)
    return { bad: 'Say `!digest you@example.com` for a daily mail of your mentions, `!digest off` to stop.' }
  if (arg.toLowerCase() === 'off') return { off: true }
  // The form addresses take here: local@domain.tld, no spaces, no display names, no commas.
  if (arg.length > 254 || !/^[^\s@<>(),;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(arg))
    return { bad: `That is not an address I can mail to: ${arg.slice(0, 80)}` }
  return { address: arg }
}

export class DigestBook {
  constructor(private readonly values: BotValues) {}

  /** Where a member's digest goes, and the nickname it greets them by. */
  address(userId: string): Promise<Subscription | undefined> {
    return this.values.getJson<Subscription>(`address:${userId}`)
  }

  /** The members with an address, in the order they first set one. */
  subscribers(): Promise<string[]> {
    return this.values.getJson<string[]>('subscribers').then((l) => l ?? [])
  }

  async setAddress(userId: string, subscription: Subscription | null): Promise<void> {
    const subscribers = (await this.subscribers()).filter((u) => u !== userId)
    if (subscription === null) {
      await this.values.delete(`address:${userId}`)
      await this.values.delete(`mentions:${userId}`)
    } else {
      await this.values.setJson(`address:${userId}`, subscription)
      subscribers.push(userId)
    }
    await this.values.setJson('subscribers', subscribers)
  }

  async add(userId: string, mention: Mention): Promise<void> {
    if ((await this.address(userId)) === undefined) return
    const list = (await this.values.getJson<Mention[]>(`mentions:${userId}`)) ?? []
    list.push(mention)
    await this.values.setJson(`mentions:${userId}`, list.slice(-MAX_KEPT))
  }

  pending(userId: string): Promise<Mention[]> {
    return this.values.getJson<Mention[]>(`mentions:${userId}`).then((l) => l ?? [])
  }

  clear(userId: string): Promise<void> {
    return this.values.delete(`mentions:${userId}`)
  }
}

/** The digest mail's plain text (the mentions, oldest first). */
export function digestText(nickname: string, mentions: Mention[]): string {
  const lines = mentions.map(
    (m) =>
      `${new Date(m.at).toISOString().slice(0, 16).replace('T', ' ')} UTC · ${m.groupName} · #${m.panelName}\n` +
      `${m.authorName}: ${m.body}`,
  )
  return [
    `Hello ${nickname},`,
    '',
    `You were mentioned ${mentions.length === 1 ? 'once' : `${mentions.length} times`} since the last digest:`,
    '',
    lines.join('\n\n'),
    '',
    '— the Tailmesh email bot. Say "!digest off" to it to stop these mails.',
  ].join('\n')
}
