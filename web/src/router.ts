// Hash routing: invite payloads live in the fragment (never sent to a server), and the relay needs no
// fallback for client-side paths. Every screen but Welcome needs an identity; without one the
// person chooses a nickname first and comes back where they were going (an invite, say).
import { createRouter, createWebHashHistory, type RouteLocationRaw } from 'vue-router'
import { useSessionStore } from './stores/session'

// Screens load on first visit, in chunks of their own: the app shell stays small (bench/bundle-size
// .bench.ts); the service worker precaches them all. Home too (issue 21's design made it bigger):
// it loads while the shell draws the header and the rail.
const HomeView = () => import('./views/HomeView.vue')
const WelcomeView = () => import('./views/WelcomeView.vue')
const GroupSettingsView = () => import('./views/GroupSettingsView.vue')
const GroupView = () => import('./views/GroupView.vue')
const BackupView = () => import('./views/BackupView.vue')
const DevicesView = () => import('./views/DevicesView.vue')
const InboxView = () => import('./views/InboxView.vue')
const JoinView = () => import('./views/JoinView.vue')
const FriendsView = () => import('./views/FriendsView.vue')
// Search brings its index (MiniSearch) with it: nothing of it loads until search is first opened.
const SearchView = () => import('./views/SearchView.vue')
const SettingsView = () => import('./views/SettingsView.vue')

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: HomeView },
    {
      path: '/welcome',
      name: 'welcome',
      component: WelcomeView,
      meta: { public: true },
    },
    {
      path: '/groups/:groupId/settings/:tab?',
      name: 'group-settings',
      component: GroupSettingsView,
      props: true,
    },
    {
      path: '/groups/:groupId/:panelId?',
      name: 'group',
      component: GroupView,
      props: true,
    },
    { path: '/inbox', name: 'inbox', component: InboxView },
    { path: '/backup', name: 'backup', component: BackupView },
    { path: '/devices', name: 'devices', component: DevicesView },
    { path: '/search', name: 'search', component: SearchView },
    { path: '/settings', name: 'settings', component: SettingsView },
    // My saved messages (issue 21): loads on first visit.
    { path: '/saved', name: 'saved', component: () => import('./components/saved/SavedView.vue') },
    // The plugin manager is its own chunk: nothing of it loads until it is opened.
    { path: '/plugins', name: 'plugins', component: () => import('./plugins/views/PluginsView.vue') },
    {
      path: '/plugins/:pluginId/:pageId',
      name: 'plugin-page',
      component: () => import('./plugins/views/PluginPageView.vue'),
      props: true,
    },
    { path: '/join/:payload', name: 'join', component: JoinView, props: true },
    // Friends load on first visit; a friend link carries its code in the fragment, like an invite.
    // `?add=<name>`: straight to adding a friend ("Add friend" on a profile card).
    {
      path: '/friends',
      name: 'friends',
      component: FriendsView,
      props: (route) => ({ add: typeof route.query.add === 'string' ? route.query.add : undefined }),
    },
    { path: '/friend/:code', name: 'friend-link', component: FriendsView, props: true },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to): Promise<RouteLocationRaw | true> => {
  const session = useSessionStore()
  await session.load()
  if (!session.me && !to.meta.public) return { name: 'welcome', query: { next: to.fullPath } }
  if (session.me && to.name === 'welcome') return { name: 'home' }
  return true
})
