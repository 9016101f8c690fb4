// What the app shell leaves out (issue 5: initial JS ≤ 150 KB gzip, measured by
// bench/bundle-size.bench.ts), seen from a real Chromium loading the built app from the real relay:
// the scripts index.html loads hold neither the WebRTC mesh code nor markdown-it + DOMPurify;
// WebRTC arrives when a group first opens its mesh; a markdown body still shows as markdown,
// sanitised. Chunks are recognised by what is in them, not by their file names. (Markdown itself may
// load soon after start for other reasons — a built-in plugin that renders markdown — so when it
// loads is not asserted, only that the shell does not carry it.)
import type { Page, Response } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { castOnRelay } from './app/cast'
import { chooseNickname, createGroup, messages, send } from './app/steps'

const cast = castOnRelay(['alice'])

/** A string only the chunk in question holds (the data-channel peer's error; DOMPurify's option name). */
const MARKERS = { webrtc: 'No RTCPeerConnection here', markdown: 'ALLOWED_TAGS' } as const
type Kind = keyof typeof MARKERS

/** The lazy chunks this page has loaded so far, by kind. */
function watchChunks(page: Page): {
  loaded: Set<Kind>
  arrival(kind: Kind): Promise<void>
  /** Resolves once every script response so far has been read. */
  settled(): Promise<void>
} {
  const loaded = new Set<Kind>()
  const waiting = new Map<Kind, () => void>()
  const reading = new Set<Promise<void>>()
  page.on('response', (response: Response) => {
    if (!/\/assets\/[^/]+\.js$/.test(response.url())) return
    const read = response
      .text()
      .then((code) => {
        for (const kind of Object.keys(MARKERS) as Kind[])
          if (code.includes(MARKERS[kind])) {
            loaded.add(kind)
            waiting.get(kind)?.()
          }
      })
      .catch(() => undefined) // the page went on (a redirect or a navigation): nothing to read
      .finally(() => reading.delete(read))
    reading.add(read)
  })
  return {
    loaded,
    settled: async () => {
      while (reading.size) await Promise.all(reading)
    },
    arrival: (kind) =>
      loaded.has(kind) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(kind, resolve)),
  }
}

describe('lazily loaded parts of the app', () => {
  it('the scripts index.html loads carry neither WebRTC nor markdown', async () => {
    const { page } = cast.person('alice')
    const html = await (await page.request.get(cast.relay.url)).text()
    const initial = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1]!)
    expect(initial.length).toBeGreaterThan(0)
    for (const src of initial) {
      const code = await (await page.request.get(new URL(src, cast.relay.url).href)).text()
      for (const marker of Object.values(MARKERS))
        expect(code.includes(marker), `${src} holds ${marker}`).toBe(false)
    }
  })

  it('loads WebRTC with the first group; a markdown body shows as markdown, sanitised', async () => {
    const { page } = cast.person('alice')
    const chunks = watchChunks(page)
    await page.goto('/')
    await chooseNickname(page, 'Alice')
    await page.getByRole('heading', { name: 'Your groups' }).waitFor()
    await chunks.settled()
    expect(chunks.loaded.has('webrtc'), 'no group yet: no WebRTC code').toBe(false)

    // A new group is small, so it opens the WebRTC mesh: that brings the WebRTC chunk.
    const webrtc = chunks.arrival('webrtc')
    await createGroup(page, 'Lazy team')
    await webrtc

    // Plain sentences show at once (markdown-it's own output, built without it); markdown bodies
    // show as markdown once the renderer is there.
    await send(page, 'Hello there, plain words only')
    await messages(page).filter({ hasText: 'Hello there, plain words only' }).locator('.body p').waitFor()
    await send(page, 'now **bold** and <b>raw</b>')
    const row = messages(page).filter({ hasText: 'now' }).last()
    expect(await row.locator('strong').textContent()).toBe('bold')
    await row.getByText('<b>raw</b>').waitFor()
    expect(await row.locator('.body b').count()).toBe(0)
  })
})
