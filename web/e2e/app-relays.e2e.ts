// A group's relays, through three real relay processes. Relay A serves Alice's and Bob's app, B is one
// more relay, C serves Carol's app. Bob (only on A) makes the group, Alice joins and adds B in
// Settings: her member record names it, so the invite link Bob makes next carries B, and Bob's
// Settings offer it. Then Alice adds C — without a reload her app connects to it (C's sockets), Bob's
// next link names C too, and Carol, whose app knows no relay but C, finds the group through Alice
// there and joins; Bob and Carol, who share no relay, hear each other through Alice's app, which hands
// on what each sends to the relays the other uses; removed, C's sockets from Alice close again.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeInvitePayload, payloadOfLink } from '@tailmesh/core'
import { launchPerson, type Person } from './harness'
import { castOnRelay } from './app/cast'
import { startRelay, type RunningRelay } from './app/relay'
import { joinFromScreen, joinWith } from './app/manage-steps'
import { chooseNickname, copyInviteLink, createGroup, messages, openFromAccountMenu, send } from './app/steps'

const cast = castOnRelay(['alice', 'bob'])
let a: Page
let b: Page
let relayB: RunningRelay
let relayC: RunningRelay
let carol: Person

beforeAll(async () => {
  a = cast.person('alice').page
  b = cast.person('bob').page
  ;[relayB, relayC] = await Promise.all([startRelay(), startRelay()])
  carol = await launchPerson('carol', { baseURL: relayC.url })
  return async () => {
    await carol?.close()
    await Promise.all([relayB?.stop(), relayC?.stop()])
  }
}, 60_000)

const base = (url: string) => url.replace(/\/$/, '')
const relaysOf = (link: string) => decodeInvitePayload(payloadOfLink(link)!).relays ?? []

/** The relay's open sockets (its /healthz). */
async function sockets(relay: RunningRelay): Promise<{ mailbox: number; signal: number }> {
  const health = (await (await fetch(`${base(relay.url)}/healthz`)).json()) as {
    connections: { mailbox: number; signal: number }
  }
  const { mailbox, signal } = health.connections
  return { mailbox, signal }
}

async function openSettings(p: Page): Promise<void> {
  await openFromAccountMenu(p, 'Settings')
  await p.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
}

/** Back to the group, within the page (a reload would hide whether changes applied live). */
async function openHarbour(p: Page): Promise<void> {
  await p.evaluate(() => (location.hash = '#/'))
  await p.getByRole('link', { name: 'Harbour' }).first().click()
  await p.getByRole('heading', { name: '# general', level: 1 }).waitFor()
}

/** Adds a relay in Settings and waits for its status to say Online. */
async function addRelay(p: Page, url: string): Promise<void> {
  await p.getByRole('textbox', { name: 'Relay address' }).fill(url)
  await p.getByRole('button', { name: 'Add relay' }).click()
  await p
    .getByRole('list', { name: 'Relays used by this device' })
    .getByRole('listitem')
    .filter({ hasText: url })
    .getByRole('status')
    .filter({ hasText: 'Online' })
    .waitFor({ timeout: 15_000 })
}

describe("a group's relays", () => {
  it('members record their relays: the invite link Bob makes carries the relay only Alice uses', async () => {
    const B = base(relayB.url)
    await b.goto('/')
    await chooseNickname(b, 'Bob')
    await createGroup(b, 'Harbour')
    const first = await copyInviteLink(b)
    // Bob uses only the relay that serves his app: his link needs to name none.
    expect(relaysOf(first)).toEqual([])
    await joinWith(a, first, 'Alice')
    await send(a, 'Alice aboard')
    await messages(b).filter({ hasText: 'Alice aboard' }).waitFor({ timeout: 15_000 })

    await openSettings(a)
    await addRelay(a, B)
    // Alice's member record now names B: a link Bob makes carries it.
    await expect.poll(async () => relaysOf(await copyInviteLink(b)), { timeout: 15_000 }).toEqual([B])
    // Bob's Settings offer B (he does not use it: nothing connects to it without his choice).
    await openSettings(b)
    const others = b.getByRole('list', { name: 'Relays other members use' })
    await others.getByRole('listitem').filter({ hasText: B }).getByText('used by 1 member').waitFor()
    await others.getByRole('button', { name: `Use ${B}` }).waitFor()
    expect((await sockets(relayB)).mailbox).toBe(1) // Alice's only
  })

  it('a relay added in Settings is used at once, without a reload; removed, it is let go', async () => {
    const C = base(relayC.url)
    expect(await sockets(relayC)).toEqual({ mailbox: 0, signal: 0 })
    await a.evaluate(() => ((window as unknown as { sameDocument?: boolean }).sameDocument = true))
    await addRelay(a, C)
    // Alice's app opens C's mailbox and signaling for her group.
    await expect.poll(() => sockets(relayC), { timeout: 15_000 }).toEqual({ mailbox: 1, signal: 1 })

    // Carol's app knows no relay but C. The link Bob makes now names it (Alice's record does), and
    // through it Carol finds the group (Alice handed its history to C's mailbox, which never held it;
    // her peers also meet at C's signaling) and joins.
    await openHarbour(b)
    let link = ''
    await expect
      .poll(async () => relaysOf((link = await copyInviteLink(b))).sort(), { timeout: 15_000 })
      .toEqual([base(relayB.url), C].sort()) // both used by one member: in URL order
    const p = carol.page
    await p.goto(`${relayC.url}#/join/${payloadOfLink(link)}`)
    await chooseNickname(p, 'Carol')
    // The group's name on the join screen came through C: the only relay Carol's app knows.
    await p.getByText('Harbour').first().waitFor({ timeout: 20_000 })
    await joinFromScreen(p)
    await openHarbour(a)
    await send(a, 'Welcome, Carol')
    await messages(p).filter({ hasText: 'Welcome, Carol' }).waitFor({ timeout: 15_000 })
    // Bob (only on A) and Carol (on C, and B from the link) share no relay and never meet directly
    // (their meshes signal through different relays): Alice hands on what each of them sends.
    await openHarbour(b)
    await send(b, 'Ahoy from Bob')
    await messages(p).filter({ hasText: 'Ahoy from Bob' }).waitFor({ timeout: 15_000 })
    await send(p, 'Ahoy, Bob')
    await messages(b).filter({ hasText: 'Ahoy, Bob' }).waitFor({ timeout: 15_000 })
    expect(await a.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)

    // Carol leaves the app: C keeps only Alice's sockets. Alice removes C: they close.
    await carol.close()
    await expect.poll(() => sockets(relayC), { timeout: 15_000 }).toEqual({ mailbox: 1, signal: 1 })
    await openSettings(a)
    await a.getByRole('button', { name: `Remove ${C}` }).click()
    await expect.poll(() => sockets(relayC), { timeout: 15_000 }).toEqual({ mailbox: 0, signal: 0 })
    expect(await a.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
  })
})
