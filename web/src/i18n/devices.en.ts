// Linked devices (pairing and revocation): English, and the shape the other languages must have.
// Merged under `devices` in i18n/index.ts.
export const devicesEn = {
  link: 'Devices',
  title: 'Your devices',
  intro:
    'Link another device to act as you: it gets its own key, certified by this one, and your groups. You can revoke it at any time.',
  linkedHere: 'This device is linked to your identity. Link or revoke devices from the device that holds it.',
  codeLabel: 'Pairing code shown on the new device',
  linkButton: 'Link device',
  waiting: 'Waiting for the device…',
  confirmTitle: 'Link this device?',
  confirmText: 'Link “{name}”? Check that the new device shows the same fingerprint: {fingerprint}',
  confirm: 'Link it',
  cancel: 'Cancel',
  linked: '“{name}” is linked.',
  listTitle: 'Linked devices',
  none: 'No linked devices yet.',
  unnamed: 'Unnamed device',
  linkedOn: 'linked {date}',
  revokedTag: 'revoked',
  revoke: 'Revoke {name}',
  revokeDone: 'Revoked. Your groups moved to a new key the device cannot read.',
  newTitle: 'Use an identity from another device',
  newIntro: 'Already using Tailmesh on another device? Link this one to it instead of starting anew.',
  deviceName: 'Name for this device',
  defaultName: 'New device',
  start: 'Show a pairing code',
  yourCode: 'On your other device, open Devices and type this code:',
  fingerprint: 'Fingerprint: {fingerprint}',
  stop: 'Stop',
}
export type DevicesSchema = typeof devicesEn
