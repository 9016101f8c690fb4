// The conformance suite over Node's BroadcastChannel (the same API browsers give tabs): two transports
// in one process stand for two tabs of one browser.
import { describeTransportConformance } from '../../../test/transport-conformance'
import { BroadcastChannelTransport } from './broadcast-channel'

describeTransportConformance('broadcastchannel', async () => new BroadcastChannelTransport(), {
  durable: false,
  peerToPeer: true,
  ordered: true,
  maxFrameBytes: 300 * 1024,
})
