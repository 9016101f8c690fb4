// The webhook bot over real HTTP, posting through the real relay process to a person (a core peer)
// who invited it by link: a signed GitHub push and a signed {text} are posted; unsigned, wrongly
// signed, oversized, non-JSON and malformed requests are refused with their status and post nothing;
// raw garbage on the socket does not bring it down.
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { Bot } from '@tailmesh/bot-kit'
import { botHarness } from '@tailmesh/bot-kit/test/harness'
import { eventually, type Person } from '@tailmesh/bot-kit/test/peers'
import { WebhookBot, signBody, type WebhookBotOptions } from '../src/index'
import { pushPayload } from './push-payload'

const SECRET = 'correct horse battery staple'
const h = botHarness()

async function setup(options: Partial<WebhookBotOptions> = { secret: SECRET }) {
  const alice = await h.person('alice', 'Harbour code')
  const bot = await h.startBot(h.tempDir('tailmesh-webhook-'), 'GitHub')
  const { groupId } = await bot.join(await alice.invite())
  const hook = new WebhookBot(bot, { groupId, panel: 'general', ...options })
  await hook.start()
  h.defer(() => hook.stop())
  return { alice, bot, hook }
}

const fromBot = (alice: Person, bot: Bot) => alice.messages().filter((m) => m.author === bot.userId)

function post(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' ? {} : { body: typeof body === 'string' ? body : new Blob([Buffer.from(body)]) }),
  })
}

const signed = (body: string, extra: Record<string, string> = {}) => ({
  'x-hub-signature-256': signBody(SECRET, new TextEncoder().encode(body)),
  ...extra,
})

describe('webhook bot', () => {
  it('posts a signed GitHub push, formatted, and a signed {text}', async () => {
    const { alice, bot, hook } = await setup()
    const push = JSON.stringify(pushPayload())
    const res = await post(hook.url, push, signed(push, { 'x-github-event': 'push' }))
    expect(res.status).toBe(201)
    const answer = (await res.json()) as { messageId: string }
    await eventually('alice has the push', () => fromBot(alice, bot).length === 1)
    const message = fromBot(alice, bot)[0]!
    expect(message.id).toBe(answer.messageId)
    expect(message.body.split('\n')[0]).toBe(
      '**alice** pushed 2 commits to `main` of [octo/harbour](https://github.com/octo/harbour):',
    )
    expect(message.body).toContain('[1a2b3c4](https://github.com/octo/harbour/commit/1a2b3c4d')

    const text = JSON.stringify({ text: 'Deploy **finished**' })
    expect((await post(hook.url, text, signed(text))).status).toBe(201)
    await eventually('alice has the text', () => fromBot(alice, bot).length === 2)
    expect(fromBot(alice, bot)[1]!.body).toBe('Deploy **finished**')

    // GitHub's ping is answered; other events are acknowledged and ignored.
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.' })
    expect((await post(hook.url, ping, signed(ping, { 'x-github-event': 'ping' }))).status).toBe(200)
    expect((await post(hook.url, ping, signed(ping, { 'x-github-event': 'star' }))).status).toBe(202)
  })

  it('refuses unsigned, wrongly signed, oversized and malformed requests, posting nothing', async () => {
    const { alice, bot, hook } = await setup({ secret: SECRET, maxBodyBytes: 16 * 1024 })
    const push = JSON.stringify(pushPayload())
    const status = async (...args: Parameters<typeof post>) => (await post(...args)).status

    expect(await status(hook.url, push, { 'x-github-event': 'push' })).toBe(401)
    const wrong = { 'x-hub-signature-256': signBody('not the secret', new TextEncoder().encode(push)) }
    expect(await status(hook.url, push, { ...wrong, 'x-github-event': 'push' })).toBe(401)
    // A signature of another body does not carry over.
    expect(
      await status(hook.url, push.replace('alice', 'mallory'), signed(push, { 'x-github-event': 'push' })),
    ).toBe(401)
    const big = JSON.stringify({ text: 'x'.repeat(20 * 1024) })
    expect(await status(hook.url, big, signed(big))).toBe(413)
    expect(await status(hook.url, 'not json', signed('not json'))).toBe(400)
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x7b])
    expect(await status(hook.url, bytes, { 'x-hub-signature-256': signBody(SECRET, bytes) })).toBe(400)
    const noText = JSON.stringify({ message: 'hi' })
    expect(await status(hook.url, noText, signed(noText))).toBe(400)
    const notPush = JSON.stringify([1, 2])
    expect(await status(hook.url, notPush, signed(notPush, { 'x-github-event': 'push' }))).toBe(400)
    const tooLong = JSON.stringify({ text: 'y'.repeat(4001) })
    expect(await status(hook.url, tooLong, signed(tooLong))).toBe(422)
    expect(await status(hook.url, push, { 'content-type': 'text/plain', ...signed(push) })).toBe(415)
    expect(await status(hook.url, '', {}, 'GET')).toBe(405)
    expect(await status(hook.url.replace('/webhook', '/other'), push, signed(push))).toBe(404)

    // Garbage on the raw socket: the server drops it and keeps serving.
    await new Promise<void>((resolve) => {
      const { port } = new URL(hook.url)
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('\x00\x01 GARBAGE \r\n\r\n\xff'))
      socket.on('close', () => resolve())
      socket.on('error', () => resolve())
      socket.resume()
    })
    const ok = JSON.stringify({ text: 'still here' })
    expect(await status(hook.url, ok, signed(ok))).toBe(201)
    await eventually('alice has the one accepted message', () => fromBot(alice, bot).length === 1)
    expect(fromBot(alice, bot).map((m) => m.body)).toEqual(['still here'])
  })

  it('with a secret path instead of a signature: the path is the key', async () => {
    const token = 'Tq3x9Lk2Vw8Zr5Nb7Hj4'
    const { alice, bot, hook } = await setup({ pathToken: token })
    expect(hook.url.endsWith(`/webhook/${token}`)).toBe(true)
    const text = JSON.stringify({ text: 'from curl' })
    expect((await post(hook.url, text)).status).toBe(201)
    expect((await post(hook.url.replace(token, token.slice(0, -1) + 'X'), text)).status).toBe(404)
    expect((await post(hook.url.replace(`/${token}`, ''), text)).status).toBe(404)
    await eventually('alice has it', () => fromBot(alice, bot).length === 1)
    expect(fromBot(alice, bot)[0]!.body).toBe('from curl')
  })

  it('answers 403 when the group has made the panel read-only for the bot', async () => {
    const { alice, bot, hook } = await setup()
    await alice.group.actions.updatePanel(alice.general, {
      overrides: { roles: { everyone: { allow: [], deny: ['message'] } } },
    })
    await eventually('the bot has the change', () => !bot.canPost(alice.group.groupId, alice.general))
    const text = JSON.stringify({ text: 'not allowed' })
    expect((await post(hook.url, text, signed(text))).status).toBe(403)
  })

  it('will not start without a secret or a secret path', async () => {
    const bot = await Bot.start({
      dataDir: h.tempDir('tailmesh-webhook-'),
      relay: h.relay.http,
      name: 'GitHub',
    })
    h.defer(() => bot.stop())
    expect(() => new WebhookBot(bot, { groupId: 'x' })).toThrow(/secret/)
    expect(() => new WebhookBot(bot, { groupId: 'x', pathToken: 'short' })).toThrow(/pathToken/)
  })
})
