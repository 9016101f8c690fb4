import { describe, expect, it } from 'vitest'
import { DEFAULT_BACKUP_ITERATIONS, exportIdentityBackup, importIdentityBackup } from './backup'
import { Identity } from './identity'
import { utf8 } from '../bytes'
import { DamagedBackupError, ValidationError, WrongPassphraseError } from '../errors'

const fast = { iterations: 1000 }
const profile = { nickname: 'Ada', status: 'here', updatedAt: 5 }

async function backup() {
  const identity = await Identity.create()
  const file = await exportIdentityBackup(identity, 'correct horse', { profile }, fast)
  return { identity, file }
}

describe('identity backup', () => {
  it('restores the same identity and profile', async () => {
    const { identity, file } = await backup()
    expect(new TextDecoder().decode(file.subarray(0, 7))).toBe('TMIDBAK')
    const restored = await importIdentityBackup(file, 'correct horse')
    expect(restored.identity.userId).toBe(identity.userId)
    expect(restored.profile).toEqual(profile)
    expect(await restored.identity.exportSeed()).toEqual(await identity.exportSeed())
  })

  it('works without a profile and with the default iteration count', async () => {
    const identity = await Identity.create()
    const file = await exportIdentityBackup(identity, 'pass')
    const restored = await importIdentityBackup(file, 'pass')
    expect(restored.identity.userId).toBe(identity.userId)
    expect(restored.profile).toBeUndefined()
    expect(DEFAULT_BACKUP_ITERATIONS).toBe(310_000)
  })

  it('treats differently normalised spellings of the passphrase as the same', async () => {
    const identity = await Identity.create()
    const file = await exportIdentityBackup(identity, 'caf\u00e9', undefined, fast)
    expect((await importIdentityBackup(file, 'cafe\u0301')).identity.userId).toBe(identity.userId)
  })

  it('says wrong passphrase for an intact file opened with the wrong passphrase', async () => {
    const { file } = await backup()
    await expect(importIdentityBackup(file, 'Correct horse')).rejects.toBeInstanceOf(WrongPassphraseError)
  })

  it('refuses an empty passphrase', async () => {
    const { identity, file } = await backup()
    await expect(importIdentityBackup(file, '')).rejects.toBeInstanceOf(ValidationError)
    await expect(exportIdentityBackup(identity, '')).rejects.toBeInstanceOf(ValidationError)
  })

  it('says damaged for truncated, garbage, wrong-version or bit-flipped files', async () => {
    const { file } = await backup()
    const damaged = async (bytes: Uint8Array, message: RegExp) => {
      const err = await importIdentityBackup(bytes, 'correct horse').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DamagedBackupError)
      expect(String(err)).toMatch(message)
    }
    await damaged(new Uint8Array(0), /not a Tailmesh identity backup/)
    await damaged(utf8('hello world, this is not a backup at all, but it is long enough'), /not a Tailmesh/)
    await damaged(file.subarray(0, 7), /damaged/)
    await damaged(file.subarray(0, 30), /truncated/)
    await damaged(file.subarray(0, file.length - 1), /truncated or some bytes were changed/)
    const newer = file.slice()
    newer[7] = 2
    await damaged(newer, /version 2/)
    // Every single-bit flip anywhere (header, salt, iv, ciphertext, checksum) is damage, not a wrong passphrase.
    for (const at of [8, 10, 20, 30, 40, file.length - 40, file.length - 1]) {
      const flipped = file.slice()
      flipped[at] = (flipped[at] ?? 0) ^ 0x10
      await damaged(flipped, /damaged/)
    }
  })
})
