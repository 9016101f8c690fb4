// The first module the app evaluates (main.ts imports it before anything else). After "Sign out of
// this device" (components/shell/sign-out.ts) it deletes every database of this origin and every
// stored preference before another module can open one: its top-level await holds back the
// evaluation of every module imported after it. A database another open tab still holds is deleted
// once that tab closes (IndexedDB queues the delete; opening it again waits behind the delete).
const SIGN_OUT_KEY = 'tailmesh.signOut'

function marked(): boolean {
  try {
    return localStorage.getItem(SIGN_OUT_KEY) === '1'
  } catch {
    return false
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = req.onerror = req.onblocked = () => resolve()
  })
}

if (marked()) {
  const dbs = await indexedDB.databases().catch(() => [])
  await Promise.all(dbs.flatMap((d) => (d.name ? [deleteDatabase(d.name)] : [])))
  try {
    localStorage.clear()
    sessionStorage.clear()
  } catch {
    // nothing more to clear
  }
}

export {}
