// The example page: no bundler, so it speaks the postMessage protocol by hand (plugins/auth-verify
// README, "The postMessage API"; @tailmesh/auth-verify/client does the same for bundled pages).
'use strict'

const status = document.getElementById('status')
const role = document.getElementById('role')

function askTailmesh(nonce) {
  const frame = new URLSearchParams(location.hash.slice(1)).get('tailmesh-frame')
  if (window.parent === window || !frame)
    return Promise.reject(new Error('Open this page in a Tailmesh web panel.'))
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = (event) => {
      channel.port1.close()
      const answer = event.data
      if (answer && answer.type === 'tailmesh.sign-in.assertion') resolve(answer.assertion)
      else reject(new Error((answer && answer.message) || 'Tailmesh said no.'))
    }
    window.parent.postMessage({ type: 'tailmesh.sign-in.request', version: 1, nonce, frame }, '*', [
      channel.port2,
    ])
  })
}

async function signIn() {
  status.textContent = 'Asking Tailmesh…'
  role.textContent = ''
  try {
    const { nonce } = await (await fetch('/nonce', { method: 'POST' })).json()
    const assertion = await askTailmesh(nonce)
    // text/plain: a simple request, no CORS preflight from this frame's opaque origin.
    const res = await fetch('/sign-in', { method: 'POST', body: JSON.stringify({ assertion }) })
    const body = await res.json()
    if (!res.ok) throw new Error(body.error)
    status.textContent = body.greeting
    role.textContent = body.roleCheck
  } catch (error) {
    status.textContent = `Not signed in: ${error.message}`
  }
}

document.getElementById('sign-in').addEventListener('click', () => void signIn())
