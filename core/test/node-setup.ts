// Node 20 lacks a few globals that the browser and Node 22 have; core code and the libraries it
// loads (libp2p, y-webrtc) expect them. Keep this list short and say why for each.

// libp2p 3 calls Promise.withResolvers (Node 22+).
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}
