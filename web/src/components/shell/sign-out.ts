// "Sign out of this device" (issue 21's account menu): this browser forgets my identity, my groups
// and my preferences; other devices and the groups' other members are not touched. Databases cannot
// be deleted while this page holds them open (core keeps its IndexedDB connections for the page's
// life), so the page only leaves a mark and reloads; the next start deletes everything before any
// module opens a database (sign-out-boot.ts, the app's first import).
export const SIGN_OUT_KEY = 'tailmesh.signOut'

export async function signOutHere(): Promise<void> {
  try {
    localStorage.setItem(SIGN_OUT_KEY, '1')
  } catch {
    return // no storage: nothing is kept here to sign out of
  }
  location.hash = '#/'
  location.reload()
  // The page goes away; nothing after this runs.
  await new Promise(() => undefined)
}
