// Call statements as a peer judges them, statement by statement (no network: the bytes one member
// signs are handed to the other's judge or hub): the signed DTLS fingerprint must be the one the SDP
// names, a statement speaks only for its signer, a replay is refused, and only members holding the
// call points get anywhere. The hub's room directory, expiry and caps are at the end.
import { describe, expect, it } from 'vitest'
import { groupOf, join, person, syncAll, type Person } from '../../test/peers'
import { toBase64Url } from '../bytes'
import { Identity } from '../identity/identity'
import { decodeSyncFrame, encodeSyncFrame } from '../sync/frames'
import { CallFullError, CallHub } from './call-hub'
import { CallJudge } from './call-judge'
import {
  CALL_SESSION_BYTES,
  decodeCallStatement,
  encodeCallStatement,
  signCallStatement,
  type CallSigner,
  type CallStatement,
} from './call-wire'
import { sdpFingerprint } from './sdp-fingerprint'

const FP_A = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':')}`
const FP_EVE = `sha-256 ${Array.from({ length: 32 }, () => 'EE').join(':')}`
const sdpWith = (fp: string) =>
  `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${fp}\r\na=setup:actpass\r\n`

const session = (n: number) => new Uint8Array(CALL_SESSION_BYTES).fill(n)

/** Alice (owner), Bob and Carol in one group with a voice panel "Lounge". */
async function threeInAGroup() {
  const { owner: alice, general } = await groupOf()
  const bob = await person('bob', alice.groupId)
  const carol = await person('carol', alice.groupId)
  await join(alice, bob)
  await join(alice, carol)
  const lounge = await alice.actions.createPanel({ name: 'Lounge', type: 'voice' })
  await syncAll([alice, bob, carol])
  return { alice, bob, carol, general, lounge }
}

let seq = 0
function statement(
  p: Person,
  panelId: string,
  over: Partial<CallStatement> = {},
): Omit<CallStatement, 'author' | 'device'> {
  return {
    groupId: p.groupId,
    session: session(1),
    seq: ++seq,
    sentAt: Date.now(),
    kind: 'offer',
    panelId,
    callId: '',
    to: null,
    fingerprint: FP_A,
    media: { audio: true, video: true, screen: false },
    body: sdpWith(FP_A),
    ...over,
  }
}

const judgeOf = (p: Person, mySession = session(9)) =>
  new CallJudge({ groupId: p.groupId, session: mySession, authority: () => p.gate.authority() })

const signed = async (signer: CallSigner, s: Omit<CallStatement, 'author' | 'device'>) =>
  encodeCallStatement(await signCallStatement(signer, s))

describe('signed call statements', () => {
  it("a member's offer is accepted with the fingerprint its SDP names and the author's rights", async () => {
    const { alice, bob, lounge } = await threeInAGroup()
    const judged = await judgeOf(alice).judge(await signed(bob.identity, statement(bob, lounge)))
    expect(typeof judged).toBe('object')
    if (typeof judged === 'string') return
    expect(judged.statement.author).toBe(bob.identity.userId)
    expect(judged.statement.fingerprint).toBe(FP_A)
    expect(judged.rights).toEqual({ join: true, speak: true, moderate: false })
    expect(sdpFingerprint(judged.statement.body)).toBe(FP_A)
  })

  it('an offer whose SDP names another certificate than the signed fingerprint is refused', async () => {
    const { alice, bob, lounge } = await threeInAGroup()
    // Signed by Bob, but the SDP carries Eve's certificate: someone in the middle would hold its key.
    const forged = await signed(bob.identity, statement(bob, lounge, { body: sdpWith(FP_EVE) }))
    expect(await judgeOf(alice).judge(forged)).toBe('fingerprint mismatch')
    // An SDP naming two certificates, or none, is refused too.
    const two = sdpWith(FP_A) + `a=fingerprint:${FP_EVE}\r\n`
    expect(
      await judgeOf(alice).judge(await signed(bob.identity, statement(bob, lounge, { body: two }))),
    ).toBe('fingerprint mismatch')
    expect(
      await judgeOf(alice).judge(await signed(bob.identity, statement(bob, lounge, { body: 'v=0\r\n' }))),
    ).toBe('fingerprint mismatch')
  })

  it('swapping fingerprint and SDP after signing breaks the signature', async () => {
    const { alice, bob, lounge } = await threeInAGroup()
    const s = await signCallStatement(bob.identity, statement(bob, lounge))
    const tampered = encodeCallStatement({ ...s, fingerprint: FP_EVE, body: sdpWith(FP_EVE) })
    expect(await judgeOf(alice).judge(tampered)).toBe('bad signature')
  })

  it('a statement speaks only for its signer: Bob cannot offer as Carol, an outsider is no member', async () => {
    const { alice, bob, carol, lounge } = await threeInAGroup()
    const asCarol: CallSigner = { userId: carol.identity.userId, sign: (d) => bob.identity.sign(d) }
    expect(await judgeOf(alice).judge(await signed(asCarol, statement(bob, lounge)))).toBe('bad signature')
    const mallory = await Identity.create()
    expect(await judgeOf(alice).judge(await signed(mallory, statement(bob, lounge)))).toBe('not a member')
  })

  it('a replayed statement is refused, and so is one from far in the past or for another session', async () => {
    const { alice, bob, lounge } = await threeInAGroup()
    const judge = judgeOf(alice)
    const bytes = await signed(bob.identity, statement(bob, lounge))
    expect(typeof (await judge.judge(bytes))).toBe('object')
    expect(await judge.judge(bytes)).toBe('replayed')
    // An older seq of the same session is a replay too.
    const older = await signed(bob.identity, statement(bob, lounge, { seq: 1 }))
    expect(await judge.judge(older)).toBe('replayed')
    // A statement recorded a minute ago, to a fresh judge, is outside the window.
    const stale = await signed(bob.identity, statement(bob, lounge, { sentAt: Date.now() - 60_000 }))
    expect(await judgeOf(alice).judge(stale)).toBe('clock skew')
    // An answer meant for another session of Alice's (an old tab) is not for this one.
    const elsewhere = await signed(bob.identity, statement(bob, lounge, { kind: 'answer', to: session(3) }))
    expect(await judge.judge(elsewhere)).toBe('not for this session')
    const forMe = await signed(bob.identity, statement(bob, lounge, { kind: 'answer', to: session(9) }))
    expect(typeof (await judge.judge(forMe))).toBe('object')
  })

  it('banned and kicked members, and members without callJoin, cannot offer; a muted one only listens', async () => {
    const { alice, bob, carol, general, lounge } = await threeInAGroup()
    const dave = await person('dave', alice.groupId)
    await join(alice, dave)
    // Nobody but the owner may join calls in "Stage" (the everyone role is denied callJoin there).
    const stage = await alice.actions.createPanel({
      name: 'Stage',
      type: 'voice',
      overrides: { roles: { everyone: { allow: [], deny: ['callJoin'] } } },
    })
    await alice.actions.mute(carol.identity.userId, 10 * 60_000)
    await alice.actions.ban(bob.identity.userId)
    await alice.actions.kick(dave.identity.userId)
    await syncAll([alice, carol])
    const judge = judgeOf(alice)
    expect(await judge.judge(await signed(bob.identity, statement(bob, lounge)))).toBe('not a member')
    expect(await judge.judge(await signed(dave.identity, statement(dave, lounge)))).toBe('not a member')
    const onStage = await judge.judge(
      await signed(carol.identity, statement(carol, stage, { session: session(4) })),
    )
    expect(onStage).toBe('may not join')
    const muted = await judge.judge(
      await signed(carol.identity, statement(carol, lounge, { session: session(5) })),
    )
    expect(typeof muted === 'object' && muted.rights).toEqual({ join: true, speak: false, moderate: false })
    // A message panel is a place for calls too; a web page or category is not.
    const text = await judge.judge(
      await signed(carol.identity, statement(carol, general, { session: session(6) })),
    )
    expect(typeof text).toBe('object')
  })

  it('only a member with callModerate may mute or remove someone in a call', async () => {
    const { alice, bob, carol, lounge } = await threeInAGroup()
    const mute = (by: Person, s: number) =>
      signed(
        by.identity,
        statement(by, lounge, { kind: 'mute', body: carol.identity.userId, session: session(s) }),
      )
    expect(await judgeOf(carol).judge(await mute(bob, 6))).toBe('may not moderate')
    expect(typeof (await judgeOf(carol).judge(await mute(alice, 7)))).toBe('object')
  })

  it('statements travel as their own sync frame and decode strictly', async () => {
    const { bob, lounge } = await threeInAGroup()
    const bytes = await signed(bob.identity, statement(bob, lounge))
    const frame = decodeSyncFrame(encodeSyncFrame({ type: 'call', bytes }))
    expect(frame).toEqual({ type: 'call', bytes })
    expect(decodeCallStatement(bytes).kind).toBe('offer')
    expect(() => decodeCallStatement(bytes.slice(0, -1))).toThrow(/Malformed call statement/)
    expect(() => decodeCallStatement(new Uint8Array([...bytes, 0]))).toThrow(/Malformed call statement/)
  })
})

describe('the call hub: who is in which room', () => {
  class Clock {
    t = Date.now()
    now = () => this.t
  }
  function hubOf(p: Person, clock: Clock, caps?: { audio?: number; video?: number }) {
    const out: Uint8Array[] = []
    const hub = new CallHub({
      groupId: p.groupId,
      identity: p.identity,
      authority: () => p.gate.authority(),
      send: (b) => void out.push(b),
      now: clock.now,
      timers: false,
      ...(caps ? { caps } : {}),
    })
    const flush = async () => {
      await hub['sending']
      return out.splice(0)
    }
    return { hub, flush }
  }
  const deliver = async (from: ReturnType<typeof hubOf>, ...to: CallHub[]) => {
    for (const b of await from.flush()) for (const h of to) await h.receive(b)
  }

  /** Bob has joined the Lounge; Alice's hub heard him. */
  async function bobInTheLounge() {
    const { alice, bob, lounge } = await threeInAGroup()
    const clock = new Clock()
    const a = hubOf(alice, clock)
    const b = hubOf(bob, clock)
    const room = { panelId: lounge, callId: '' }
    await b.hub.join(room, { audio: true, video: false, screen: false }, FP_A)
    await deliver(b, a.hub)
    return { bob, clock, a, b, room }
  }

  it('a member in a room shows in its directory until they leave, or go silent for the expiry', async () => {
    const { bob, clock, a, b, room } = await bobInTheLounge()
    expect(a.hub.participants(room).map((p) => [p.user, p.session, p.media.audio])).toEqual([
      [bob.identity.userId, toBase64Url(b.hub.session), true],
    ])
    expect(a.hub.activeRooms().map((r) => r.panelId)).toEqual([room.panelId])
    await b.hub.leave()
    await deliver(b, a.hub)
    expect(a.hub.participants(room)).toEqual([])

    await b.hub.join(room, { audio: true, video: false, screen: false }, FP_A)
    await deliver(b, a.hub)
    clock.t += 4_600
    a.hub.tick()
    expect(a.hub.participants(room)).toEqual([])
  })

  it('past the caps joining is refused and video is not sent, and the errors say so plainly', async () => {
    const { alice, bob, carol, lounge } = await threeInAGroup()
    const clock = new Clock()
    const room = { panelId: lounge, callId: '' }
    const b = hubOf(bob, clock)
    const c = hubOf(carol, clock)
    await b.hub.join(room, { audio: true, video: true, screen: false }, FP_A)
    await c.hub.join(room, { audio: true, video: false, screen: false }, FP_A)
    const a = hubOf(alice, clock, { audio: 3, video: 1 })
    await deliver(b, a.hub)
    await deliver(c, a.hub)
    // Bob already sends video: Alice's camera stays off when she joins, and turning it on is refused.
    expect(await a.hub.join(room, { audio: true, video: true, screen: false }, FP_A)).toEqual({
      audio: true,
      video: false,
      screen: false,
    })
    const video = await a.hub.setMedia({ audio: true, video: true, screen: false }).catch((e: unknown) => e)
    expect(video).toBeInstanceOf(CallFullError)
    expect((video as Error).message).toBe('At most 1 people can send video at once in this call.')
    await a.hub.leave()
    // With room for two, a third is refused.
    const small = hubOf(alice, clock, { audio: 2 })
    clock.t += 1_600
    b.hub.tick()
    c.hub.tick()
    await deliver(b, small.hub)
    await deliver(c, small.hub)
    const full = await small.hub
      .join(room, { audio: true, video: false, screen: false }, FP_A)
      .catch((e: unknown) => e)
    expect(full).toBeInstanceOf(CallFullError)
    expect((full as Error).message).toBe('This call is full: at most 2 people can be in it.')
  })

  it("a started call rings the others, not the caller's own other tabs and devices", async () => {
    const { alice, bob, general } = await threeInAGroup()
    const clock = new Clock()
    const laptop = hubOf(alice, clock)
    const phone = hubOf(alice, clock)
    const b = hubOf(bob, clock)
    const room = { panelId: general, callId: 'c4ll' }
    await laptop.hub.join(room, { audio: true, video: false, screen: false }, FP_A)
    await laptop.hub.ring()
    await deliver(laptop, phone.hub, b.hub)
    expect(b.hub.ringing().map((r) => [r.from, r.callId])).toEqual([[alice.identity.userId, 'c4ll']])
    expect(phone.hub.ringing()).toEqual([])
    // The phone still sees the call going on (and may join it from the panel).
    expect(phone.hub.participants(room).map((p) => p.user)).toEqual([alice.identity.userId])
  })

  it('statements are taken in the order they came, and an offer places its sender in the room', async () => {
    const { alice, bob, carol, lounge } = await threeInAGroup()
    const clock = new Clock()
    const a = hubOf(alice, clock)
    const room = { panelId: lounge, callId: '' }
    await a.hub.join(room, { audio: true, video: false, screen: false }, FP_A)
    const kinds: string[] = []
    a.hub.onSignal((j) => kinds.push(`${j.statement.kind} ${j.statement.seq}`))
    // Bob's `here` and the offer right behind it arrive together: both count, in their order.
    const bobSays = (kind: 'here' | 'offer', seq: number) =>
      signed(
        bob.identity,
        statement(bob, lounge, {
          kind,
          seq,
          session: session(2),
          to: kind === 'offer' ? a.hub.session : null,
        }),
      )
    const [here, offer] = await Promise.all([bobSays('here', 1), bobSays('offer', 2)])
    await Promise.all([a.hub.receive(here), a.hub.receive(offer)])
    expect(kinds).toEqual(['here 1', 'offer 2'])
    // Carol's offer overtakes her `here`: she is in the room all the same, with the fingerprint she signed.
    await a.hub.receive(
      await signed(
        carol.identity,
        statement(carol, lounge, { seq: 1, session: session(3), to: a.hub.session }),
      ),
    )
    expect(a.hub.participants(room).map((p) => [p.user, p.fingerprint])).toEqual([
      [bob.identity.userId, FP_A],
      [carol.identity.userId, FP_A],
    ])
  })

  it('packets still arriving over a connection keep a late peer in the room; a gone one stays gone', async () => {
    const { bob, clock, a, b, room } = await bobInTheLounge()
    const bobs = toBase64Url(b.hub.session)
    // Bob's heartbeats are late (a loaded machine), but his packets keep coming over the connection.
    for (let i = 0; i < 4; i++) {
      clock.t += 2_000
      a.hub.heardDirectly(room, bobs)
      a.hub.tick()
    }
    expect(a.hub.participants(room).map((p) => p.user)).toEqual([bob.identity.userId])
    // His network goes: no packets either, and he is gone after the expiry; packets cannot revive him.
    clock.t += 4_600
    a.hub.tick()
    expect(a.hub.participants(room)).toEqual([])
    a.hub.heardDirectly(room, bobs)
    expect(a.hub.participants(room)).toEqual([])
  })
})
