// Typed route meta for the router guard (router.ts).
import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without an identity. */
    public?: boolean
  }
}
