// The WebRTC mesh transport, loaded when the first group opens its mesh rather than with the app
// shell: core's WebrtcTransport (data-channel peers, encrypted signaling, chunking) is needed only
// once a group is open, and the shell stays within its budget. This module imports no WebRTC code;
// '@tailmesh/core/sync/webrtc' is `import()`ed, so the build puts it in a chunk of its own (which the
// service worker precaches like every other, so it loads offline too).
//
// Unlike libp2p (libp2p-lazy.ts), nothing has to be fetched from the relay first, so `open` simply
// awaits the chunk and hands over to the real transport. A chunk that cannot be loaded fails this
// `open` (the replica then carries the group over its other transports) and is tried again by the
// next one.
import type { Link, LinkHandlers, TopicAccess, Transport } from '@tailmesh/core'
import type { WebrtcTransport, WebrtcTransportOptions } from '@tailmesh/core/sync/webrtc'

export class LazyWebrtcTransport implements Transport {
  readonly id = 'webrtc'
  readonly kind = 'webrtc'
  readonly durable = false
  readonly sameUser = false
  private transport: Promise<WebrtcTransport> | null = null
  private closed = false

  constructor(private readonly options: WebrtcTransportOptions) {}

  /** One WebrtcTransport (one signaling connection) for every group of the page. */
  load(): Promise<WebrtcTransport> {
    if (!this.transport) {
      const loading = import('@tailmesh/core/sync/webrtc').then((m) => new m.WebrtcTransport(this.options))
      // A failed load is forgotten, to be tried again by the next open.
      loading.catch(() => {
        if (this.transport === loading) this.transport = null
      })
      this.transport = loading
    }
    return this.transport
  }

  async open(access: TopicAccess, handlers: LinkHandlers): Promise<Link> {
    if (this.closed) throw new Error('This transport is closed.')
    const transport = await this.load()
    if (this.closed) throw new Error('This transport is closed.')
    return transport.open(access, handlers)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const transport = await this.transport?.catch(() => null)
    await transport?.close()
  }
}
