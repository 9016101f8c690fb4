// The late half of en.ts (a file of its own, so it stays out of the app shell's chunk).
/** What only lazily loaded screens show: merged in by i18n/late.ts, out of the app shell. */
export const enLate = {
  welcome: {
    title: 'Welcome to Tailmesh',
    intro: 'Chat with your groups, peer to peer. Choose a nickname to begin.',
    nickname: 'Nickname',
    nicknameHint: '1 to 32 characters. Others in your groups see it.',
    continue: 'Continue',
    creating: 'Creating your identity…',
    keptHere:
      'Your identity is a key that lives only on this device. If you lose every device without a backup, it is lost.',
  },
  createGroup: {
    title: 'Create a group',
    name: 'Group name',
    nameHint: '1 to 100 characters.',
    create: 'Create',
    cancel: 'Cancel',
  },
  group: {
    panels: 'Panels',
    members: 'Members',
    notHere: 'This group is not open on this device.',
    backHome: 'Back to your groups',
    messagesIn: 'Messages in {panel}',
    noMessages: 'No messages yet. Say hello!',
    pending: 'Pending',
    pendingHint: 'Not delivered yet: it stays on this device until it reaches another peer.',
    recalled: 'This message was recalled.',
    deleted: 'This message was deleted.',
    connection: 'Connection',
    relayOnline: 'Relay connected',
    relayOffline: 'Relay unreachable: new messages wait on this device',
    peers: 'No peer connected directly | 1 peer connected directly | {n} peers connected directly',
  },
  composer: {
    label: 'Message #{panel}',
    placeholder: 'Message #{panel} (Enter to send, Shift+Enter for a new line)',
    send: 'Send',
  },
  invite: {
    copy: 'Copy invite link',
    link: 'Invite link',
    copied: 'Invite link copied.',
    copyFailed: 'Could not copy: select the link and copy it.',
  },
  join: {
    title: 'Join a group',
    invalid: 'This invite link is not valid.',
    waiting: 'Looking for the group… A member needs to be online to let you in.',
    groupName: 'You are invited to {name}',
    waitingInvite: 'Looking for your invite in the group…',
    join: 'Join',
    joining: 'Joining…',
    alreadyMember: 'You are a member of {name}.',
    open: 'Open group',
  },
}
