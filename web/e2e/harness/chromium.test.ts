import { describe, expect, it } from 'vitest'
import { chromiumPath } from './chromium'

describe('chromiumPath', () => {
  it('uses CHROMIUM_PATH when it exists', async () => {
    expect(await chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath)
  })

  it('refuses a CHROMIUM_PATH that does not exist, with the help text (no silent fallback)', async () => {
    await expect(chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).rejects.toThrow(
      /CHROMIUM_PATH is set to \/nonexistent\/chromium[\s\S]*apt-get install -y chromium[\s\S]*never download/,
    )
  })
})
