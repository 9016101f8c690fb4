// Where a bot finds the network: the relay's http(s) address, as a person types it, gives the
// mailbox's WebSocket endpoint (the same derivation the web app makes from its page's origin).

export interface RelayEndpoints {
  /** The relay as member records and invite links name it (`http(s)://host`). */
  base: string
  mailbox: string
  healthz: string
}

export function relayEndpoints(relay: string): RelayEndpoints {
  let url: URL
  try {
    url = new URL(relay)
  } catch {
    throw new TypeError(`Not a relay address: ${relay} (expected http(s)://host:port)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`A relay address starts with http:// or https:// (got ${url.protocol})`)
  const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const base = `${url.protocol}//${url.host}`
  return { base, mailbox: `${scheme}//${url.host}/mailbox`, healthz: `${base}/healthz` }
}
