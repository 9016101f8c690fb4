// The call this page is in, across every screen: joining (microphone and camera, the relay's ICE
// servers, core's mesh loaded on first use), what I send, the devices chosen, and leaving. A store,
// not a component's state, so the call keeps running while the person moves between panels and
// groups (the call bar shows it). Only one call at a time: joining another leaves this one.
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
      const local = await capture(options.video ?? true)
      const [iceServers, mod] = await Promise.all([callIceServers(), loadCallMesh()])
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
    leave,
    toggleMic,
    toggleCamera,
    toggleScreen,
    choose,
    refreshDevices,
  }
})
