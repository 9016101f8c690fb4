import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { registerServiceWorker } from './pwa'
import { listenForInstallOffer } from './install-prompt'
import { router } from './router'
import './style.css'

listenForInstallOffer()
document.documentElement.lang = i18n.global.locale.value
createApp(App).use(createPinia()).use(router).use(i18n).mount('#app')
registerServiceWorker()
