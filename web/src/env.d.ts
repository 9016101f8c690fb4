/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

// For the root `tsc` (which does not read .vue files); vue-tsc type-checks the components themselves.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
