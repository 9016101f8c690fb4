// Browser permissions a test grants a person's profile for one origin.
import type { BrowserContext } from 'playwright-core'

/** What Chromium needs before it gathers ICE candidates in a loopback-only network (CONTRIBUTING.md, "Browser tests"). */
export const WEBRTC_LOOPBACK_PERMISSIONS: readonly string[] = ['camera', 'microphone']

/**
 * Grant `permissions` to pages of `origin` (e.g. 'http://127.0.0.1:41234') in this context. Without an
 * origin they apply to every origin. Unknown permission names make Playwright throw, which is what a
 * test wants.
 */
export async function grantPermissions(
  context: BrowserContext,
  permissions: readonly string[],
  origin?: string,
): Promise<void> {
  await context.grantPermissions([...permissions], origin === undefined ? undefined : { origin })
}
