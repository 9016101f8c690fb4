// The call this page is in, across every screen: joining (microphone and camera, the relay's ICE
// servers, core's mesh loaded on first use), what I send, the devices chosen, and leaving. A store,
// not a component's state, so the call keeps running while the person moves between panels and
// groups (the call bar shows it). Only one call at a time: joining another leaves this one.
//
// A call started in a text panel or DM (`start`) is a room with a random call id, a message that says
// so (MessageRecord.call), and a ring for the others. Every page that was in such a call watches the
// room after it left: once it is empty (nobody heard in it, this page not in it) the page records the
// end, so the row reads "Alice started a call · 12 min" even when its starter closed the page first.
// The last to leave sees it empty at once; the others when its `leave` or its silence reaches them.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { CallFullError, type CallMedia, type CallRoomRef, type GroupHandle } from '../client'
import {
  callIceServers,
  callNetwork,
  loadCallMesh,
  setActiveCall,
  type CallMesh,
  type RemotePeer,
} from '../client/calls'

/** A call's id in a text panel or DM: 16 random bytes, base64url. */
function newCallId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput'

export const useCallStore = defineStore('call', () => {
  const mesh = shallowRef<CallMesh | null>(null)
  const handle = shallowRef<GroupHandle | null>(null)
  const room = shallowRef<CallRoomRef | null>(null)
  const roomName = ref('')
  const stream = shallowRef<MediaStream | null>(null)
  const media = ref<CallMedia>({ audio: false, video: false, screen: false })
  const peers = shallowRef<RemotePeer[]>([])
  const myLevel = ref(0)
  const joining = ref(false)
  /** Why the last action failed, in words for the person (caps, no camera, no right). */
  const problem = ref<{
    kind: 'full' | 'videoFull' | 'devices' | 'other'
    cap?: number
    text?: string
  } | null>(null)
  const devices = shallowRef<MediaDeviceInfo[]>([])
  const chosen = ref<Record<DeviceKind, string>>({ audioinput: '', videoinput: '', audiooutput: '' })
  let off: (() => void) | null = null
  /** Calls in text panels and DMs this page was in whose end nobody has recorded yet, by room. */
  const watched = new Map<string, { handle: GroupHandle; room: CallRoomRef; off: () => void }>()

  const inCall = computed(() => mesh.value !== null)

  function read(): void {
    const m = mesh.value
    if (!m || m.left) {
      stop()
      return
    }
    peers.value = m.peers()
    media.value = m.localMedia()
    myLevel.value = m.level()
  }

  function stop(): void {
    off?.()
    off = null
    stream.value?.getTracks().forEach((t) => t.stop())
    stream.value = null
    mesh.value = null
    handle.value = null
    room.value = null
    peers.value = []
    setActiveCall(null)
  }

  async function capture(withVideo: boolean): Promise<MediaStream> {
    const pick = (kind: DeviceKind) =>
      chosen.value[kind] ? { deviceId: { exact: chosen.value[kind] } } : true
    try {
      return await navigator.mediaDevices.getUserMedia({
        audio: pick('audioinput'),
        video: withVideo ? pick('videoinput') : false,
      })
    } catch {
      // No camera (or it was refused): the call goes on with sound only.
      return navigator.mediaDevices.getUserMedia({ audio: pick('audioinput'), video: false })
    }
  }

  async function refreshDevices(): Promise<void> {
    devices.value = (await navigator.mediaDevices.enumerateDevices().catch(() => [])) as MediaDeviceInfo[]
  }

  async function join(
    h: GroupHandle,
    target: CallRoomRef,
    name: string,
    options: { video?: boolean } = {},
  ): Promise<boolean> {
    const hub = h.calls()
    if (!hub || joining.value) return false
    problem.value = null
    joining.value = true
    try {
      if (mesh.value) await leave()
      // The relay's ICE servers and the mesh's chunk come while the camera opens.
      const ready = Promise.all([callIceServers(), loadCallMesh()])
      ready.catch(() => {}) // awaited below; only so a failed capture leaves no unhandled rejection
      const local = await capture(options.video ?? true)
      const [iceServers, mod] = await ready
      const want = { audio: true, video: local.getVideoTracks().length > 0, screen: false }
      const m = await mod.join({
        hub,
        room: target,
        stream: local,
        media: want,
        iceServers,
        iceTransportPolicy: callNetwork.iceTransportPolicy,
      })
      stream.value = local
      mesh.value = m
      handle.value = h
      room.value = target
      roomName.value = name
      setActiveCall(m)
      off = m.onChange(read)
      if (target.callId !== '') watchForEnd(h, target)
      if (want.video && !m.localMedia().video) problem.value = { kind: 'videoFull', cap: hub.caps.video }
      read()
      void refreshDevices()
      return true
    } catch (e) {
      stream.value?.getTracks().forEach((t) => t.stop())
      if (e instanceof CallFullError)
        problem.value = { kind: e.what === 'audio' ? 'full' : 'videoFull', cap: e.cap }
      else if (e instanceof DOMException) problem.value = { kind: 'devices' }
      else problem.value = { kind: 'other', text: e instanceof Error ? e.message : String(e) }
      return false
    } finally {
      joining.value = false
    }
  }

  /**
   * Starts a call in a text panel or DM: joins a new room, says so in the panel (when I may write
   * there), rings the others. False when joining failed (`problem` says why).
   */
  async function start(h: GroupHandle, panelId: string, name: string): Promise<boolean> {
    const target = { panelId, callId: newCallId() }
    if (!(await join(h, target, name))) return false
    try {
      await h.send(panelId, '', { call: { id: target.callId } })
    } catch {
      // No right to write here (an announcement panel): the call goes on without its row.
    }
    await h.calls()?.ring()
    return true
  }

  function watchForEnd(h: GroupHandle, target: CallRoomRef): void {
    const key = `${h.groupId}\u0000${target.panelId}\u0000${target.callId}`
    if (watched.has(key)) return
    const entry = { handle: h, room: target, off: () => {} }
    watched.set(key, entry)
    entry.off = h.calls()?.onChange(() => void endIfEmpty(key)) ?? (() => {})
  }

  async function endIfEmpty(key: string): Promise<void> {
    const entry = watched.get(key)
    const hub = entry?.handle.calls()
    if (!entry || !hub) return
    const joined = hub.joined()
    const mine =
      joined !== null && joined.panelId === entry.room.panelId && joined.callId === entry.room.callId
    if (mine || hub.participants(entry.room).length > 0) return
    watched.delete(key)
    entry.off()
    // Someone else may have recorded it first (false), or the row is not here: nothing to do then.
    await entry.handle.endCall(entry.room.panelId, entry.room.callId, Date.now()).catch(() => false)
  }

  async function leave(): Promise<void> {
    const m = mesh.value
    stop()
    await m?.leave()
  }

  async function setMedia(next: CallMedia): Promise<void> {
    const m = mesh.value
    if (!m) return
    problem.value = null
    try {
      await m.setMedia(next)
    } catch (e) {
      if (e instanceof CallFullError) problem.value = { kind: 'videoFull', cap: e.cap }
      else throw e
    }
    read()
  }

  const toggleMic = () => setMedia({ ...media.value, audio: !media.value.audio })

  async function toggleCamera(): Promise<void> {
    const s = stream.value
    if (!s) return
    if (!media.value.video && s.getVideoTracks().length === 0) {
      // Joined without a camera: ask for it now.
      const cam = await capture(true).catch(() => null)
      const track = cam?.getVideoTracks()[0]
      if (!track) {
        problem.value = { kind: 'devices' }
        return
      }
      s.addTrack(track)
      await mesh.value?.setStream(s)
    }
    await setMedia({ ...media.value, video: !media.value.video, screen: false })
  }

  async function toggleScreen(): Promise<void> {
    const s = stream.value
    const m = mesh.value
    if (!s || !m) return
    if (media.value.screen) {
      await m.setStream(s)
      await setMedia({ ...media.value, screen: false })
      return
    }
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => null)
    const track = display?.getVideoTracks()[0]
    if (!track) return
    track.addEventListener('ended', () => void (media.value.screen && toggleScreen()))
    await m.setStream(new MediaStream([...s.getAudioTracks(), track]))
    await setMedia({ ...media.value, screen: true })
  }

  /** Another microphone or camera: captured, sent from now on; the speaker applies to the tiles. */
  async function choose(kind: DeviceKind, deviceId: string): Promise<void> {
    chosen.value = { ...chosen.value, [kind]: deviceId }
    const s = stream.value
    const m = mesh.value
    if (kind === 'audiooutput' || !s || !m) return
    const fresh = await navigator.mediaDevices.getUserMedia(
      kind === 'audioinput'
        ? { audio: { deviceId: { exact: deviceId } } }
        : { video: { deviceId: { exact: deviceId } } },
    )
    const old = kind === 'audioinput' ? s.getAudioTracks() : s.getVideoTracks()
    old.forEach((t) => {
      t.stop()
      s.removeTrack(t)
    })
    fresh.getTracks().forEach((t) => s.addTrack(t))
    await m.setStream(s)
  }

  return {
    mesh,
    handle,
    room,
    roomName,
    stream,
    media,
    peers,
    myLevel,
    joining,
    problem,
    devices,
    chosen,
    inCall,
    join,
    start,
    leave,
    toggleMic,
    toggleCamera,
    toggleScreen,
    choose,
    refreshDevices,
  }
})
