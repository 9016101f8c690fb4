// A peer as a host process of the libp2p scale bench sees it, whichever stack it runs.
export interface HostedPeer {
  /** When each message index arrived here (ms since the epoch, see wire.ts). */
  arrivals: Map<number, number>
  /** Open connections (libp2p: the relay included). */
  connections(): number
  /** Bytes this peer wrote so far (0 where the stack does not count them). */
  bytes(): number
  /** Member peers it is linked to. */
  linked(): number
  close(): Promise<void>
}
