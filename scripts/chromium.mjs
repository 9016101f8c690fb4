// Where the browser end-to-end tests find Chromium. Nothing here downloads a browser.
import { existsSync } from 'node:fs'

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]

export function findChromium() {
  return candidates.find((p) => p && existsSync(p)) ?? null
}

export const chromiumHelp = [
  'No Chromium found for the browser end-to-end tests.',
  'Install one (Debian/Ubuntu: `apt-get install -y chromium`) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  'The tests never download a browser themselves.',
].join('\n')
