// Identity backup and restore: English, and the shape the other languages must have. Merged under
// `identity` in i18n/index.ts.
export const identityEn = {
  link: 'Backup',
  title: 'Identity backup',
  intro:
    'Your identity is a key kept only on this device. Losing every device without a backup loses it. Groups are not in the file: after a restore, rejoin them by invite.',
  yourId: 'Your id',
  passphrase: 'Passphrase',
  repeat: 'Passphrase again',
  download: 'Download backup',
  working: 'Working…',
  mismatch: 'The two passphrases differ.',
  empty: 'Choose a passphrase.',
  saved: 'Backup saved as {file}.',
  restoreTitle: 'Restore from a backup',
  restoreIntro: 'Already have an identity? Restore it from its backup file.',
  file: 'Backup file',
  restore: 'Restore',
  noFile: 'Choose the backup file.',
}
export type IdentitySchema = typeof identityEn
