// First: a sign-out mark clears this device before any module opens a database.
import './sign-out-boot'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { registerServiceWorker } from './pwa'
import { router } from './router'
import './design/tokens.css'
import './style.css'

// The browser's offer to install the app can come before any lazy chunk: kept for the "Install app"
// button (everyday/install-offer.ts), which asks instead of the browser's own mini-infobar.
addEventListener('beforeinstallprompt', (e) => {
  e.preventDefault()
  ;(globalThis as { tailmeshInstallOffer?: Event }).tailmeshInstallOffer = e
})
document.documentElement.lang = i18n.global.locale.value
createApp(App).use(createPinia()).use(router).use(i18n).mount('#app')
registerServiceWorker()
