// Node 20 lacks a few globals that the browser and Node 22 have; core code and the libraries it
// loads (libp2p) expect them. Keep this list short and say why for each.
import { ensurePromiseWithResolvers } from '../src/sync/transports/libp2p-wire'

// libp2p 3 calls Promise.withResolvers (Node 22+).
ensurePromiseWithResolvers()
