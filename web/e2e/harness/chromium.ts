// Which Chromium the browser tests drive. Nothing here downloads a browser: the binary comes from
// CHROMIUM_PATH or from the places scripts/chromium.mjs knows (the same lookup `npm test` uses).
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { repoRoot } from './paths'

interface ChromiumLocator {
  findChromium(): string | null
  chromiumHelp: string
}

/** scripts/ is the repo's tooling, not a package: load it at run time so this stays one lookup. */
async function locator(): Promise<ChromiumLocator> {
  const url = pathToFileURL(`${repoRoot}/scripts/chromium.mjs`).href
  return (await import(url)) as ChromiumLocator
}

/**
 * The Chromium binary, or an Error with the help text. Browser tests never skip for want of a browser:
 * a machine without one fails them and says how to fix it.
 */
export async function chromiumPath(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { findChromium, chromiumHelp } = await locator()
  const fromEnv = env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.\n${chromiumHelp}`)
  }
  const found = findChromium()
  if (!found) throw new Error(chromiumHelp)
  return found
}
