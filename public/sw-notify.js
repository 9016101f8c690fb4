// Imported into the generated service worker (vite.config.ts, workbox.importScripts). A click on a
// notification the app showed through the worker (web/src/plugins/notify.ts) brings a Tailmesh tab
// forward at the address in the notification's data, or opens one if none is open. Plain JS: the
// worker loads it as a classic script, same origin, under the app's CSP.
self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const hash = event.notification.data && event.notification.data.url
  const target = new URL(
    typeof hash === 'string' && hash.startsWith('#/') ? hash : '#/',
    self.registration.scope,
  )
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((tabs) => {
      const tab = tabs.find((c) => c.url.startsWith(self.registration.scope))
      if (!tab) return self.clients.openWindow(target.href)
      return tab.focus().then((focused) => (focused || tab).navigate(target.href))
    }),
  )
})
