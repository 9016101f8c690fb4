import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import { defineConfig, type Plugin } from 'vitest/config'
import { META_CSP } from './relay/src/csp.js'

// One config for the PWA build (web/ → web/dist) and for every Vitest suite.
// Unit and integration suites live next to the code as *.test.ts; browser end-to-end suites
// as *.e2e.ts, run by their own project so `npm test` can report them separately.
//
// `root` is web/ for the build; Vitest keeps the repository as its root (`test.root`), so the
// project globs below stay relative to the repository. The test projects are inline and do not
// extend this config: neither the Vue nor the PWA plugin runs under Vitest.
const repo = fileURLToPath(new URL('.', import.meta.url))

/**
 * The relay's Content-Security-Policy as a <meta> in the built index.html, for hosts that serve
 * web/dist without the relay's headers (relay/src/csp.ts says why each directive). A <meta> cannot
 * carry frame-ancestors: only the relay's header (or the other host's) stops framing. Build only:
 * the dev server injects <style> elements and would be refused.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'tailmesh-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CSP },
        injectTo: 'head-prepend',
      },
    ],
  }
}

export default defineConfig({
  root: `${repo}web`,
  publicDir: `${repo}public`,
  // vue-i18n's bundler flags: Composition API only, no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: `${repo}web/dist`,
    emptyOutDir: true,
    target: 'es2022',
    // Every browser that runs es2022 modules knows <link rel="modulepreload">: no polyfill in the shell.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Everything the entry imports statically goes in one "shell" chunk: otherwise modules it
        // shares with lazy chunks (core's bytes, crypto, socket helpers) become half a dozen tiny
        // files, each one more request and gzip stream for the first load (bench/bundle-size.bench.ts).
        codeSplitting: { groups: [{ name: 'shell', tags: ['$initial'] }] },
      },
    },
  },
  plugins: [
    vue(),
    contentSecurityPolicyMeta(),
    VitePWA({
      // Registered from web/src/pwa.ts through the plugin's virtual module. 'prompt': a new version
      // waits until the person chooses to reload (UpdateBanner.vue) instead of replacing the page.
      injectRegister: null,
      registerType: 'prompt',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Tailmesh',
        short_name: 'Tailmesh',
        description: 'Local-first, peer-to-peer group chat',
        lang: 'en',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#3451b2',
        background_color: '#ffffff',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // The app shell: everything the build emits, so a reload with the network cut still works.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,json}'],
        // Hash routing: every navigation is to "/", answered from the precache when offline.
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/(signal|mailbox|healthz)/],
        cleanupOutdatedCaches: true,
        // Our own worker code: opening the app from a notification's click (public/sw-notify.js).
        importScripts: ['sw-notify.js'],
        // The first worker takes this page at once (the shell is precached from the first visit);
        // later versions wait for the person's reload (no skipWaiting).
        clientsClaim: true,
      },
    }),
  ],
  test: {
    root: repo,
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'relay/**/*.test.ts',
            'web/**/*.test.ts',
            'plugins/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**'],
          setupFiles: ['core/test/node-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          setupFiles: ['core/test/node-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
