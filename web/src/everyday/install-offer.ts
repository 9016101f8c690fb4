// The browser's offer to install the app (Chromium's `beforeinstallprompt`). main.ts keeps the first
// one from the moment the page starts (it can fire before this chunk loads); later ones come here.
import { shallowRef } from 'vue'

export interface InstallOffer extends Event {
  prompt(): Promise<void>
}

type Kept = { tailmeshInstallOffer?: InstallOffer | null }

export const installOffer = shallowRef<InstallOffer | null>((globalThis as Kept).tailmeshInstallOffer ?? null)

addEventListener('beforeinstallprompt', (e) => {
  e.preventDefault()
  installOffer.value = e as InstallOffer
})
addEventListener('appinstalled', () => {
  installOffer.value = null
  ;(globalThis as Kept).tailmeshInstallOffer = null
})

/** Spends the offer: the browser shows its install dialog once per offer. */
export function takeInstallOffer(): InstallOffer | null {
  const offer = installOffer.value
  installOffer.value = null
  ;(globalThis as Kept).tailmeshInstallOffer = null
  return offer
}
