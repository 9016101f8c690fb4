// Who I am on this device: a view of the client's identity.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Me, ProfileChange } from '../client'
import { tailmesh } from '../tailmesh'

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null)
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  /** Reads the keystore once; later calls wait for the same read. */
  function load(): Promise<void> {
    return (loading ??= tailmesh.loadIdentity().then(
      (m) => {
        me.value = m
        loaded.value = true
      },
      (e: unknown) => {
        // No keystore (storage blocked): the app still opens; creating an identity will say why it fails.
        console.warn('could not read the keystore', e)
        loaded.value = true
      },
    ))
  }

  async function create(nickname: string): Promise<void> {
    me.value = await tailmesh.createIdentity(nickname)
  }

  async function restore(file: Uint8Array, passphrase: string): Promise<void> {
    me.value = await tailmesh.restoreBackup(file, passphrase)
  }

  /** On a new device: a pairing code to type on another device of mine; `me` is set once linked. */
  async function requestLink(deviceName: string) {
    const request = await tailmesh.requestLink(deviceName)
    void request.done.then((m) => (me.value = m)).catch(() => undefined)
    return request
  }

  /** Signs and keeps a new profile and writes it into every group I am in. */
  async function updateProfile(change: ProfileChange): Promise<void> {
    me.value = await tailmesh.updateProfile(change)
  }

  return { me, loaded, load, create, restore, requestLink, updateProfile }
})
