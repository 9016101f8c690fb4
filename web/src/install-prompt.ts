// The browser's offer to install the app (Chromium's `beforeinstallprompt`), kept from the first
// moment: it can fire before any lazy part of the app has loaded. The "Install app" button
// (everyday/InstallAppButton.vue) shows while an offer is here and spends it.
import { shallowRef } from 'vue'

export interface InstallOffer extends Event {
  prompt(): Promise<void>
  userChoice?: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

export const installOffer = shallowRef<InstallOffer | null>(null)

export function listenForInstallOffer(): void {
  window.addEventListener('beforeinstallprompt', (e) => {
    // Our own button asks instead of the browser's mini-infobar.
    e.preventDefault()
    installOffer.value = e as InstallOffer
  })
  window.addEventListener('appinstalled', () => (installOffer.value = null))
}
