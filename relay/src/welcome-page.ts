// GET /welcome: a small page the relay serves itself, for the Community group template's sample web
// panel (issue 21): any site the template named could refuse to be framed (X-Frame-Options, CSP
// frame-ancestors) and leave an empty panel; this one is made to be framed. It has no script, no form,
// nothing to click but links that open in a new tab, so framing it from anywhere is harmless
// (`frame-ancestors *`: the app may be served from another host than the relay). Its own policy
// allows nothing but its one inline stylesheet (by hash). English and Chinese side by side: the frame
// is sandboxed and cannot be told the member's language.
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans SC', sans-serif; line-height: 1.55; }
body { margin: 0; padding: 2rem 1.5rem; background: Canvas; color: CanvasText; }
main { max-width: 40rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
p, li { color: color-mix(in srgb, CanvasText 85%, Canvas); }
ul { padding-left: 1.25rem; }
.badge { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 999px; background: #4752c4; color: #fff; font-size: 0.8rem; }
hr { border: 0; border-top: 1px solid color-mix(in srgb, CanvasText 20%, Canvas); margin: 2rem 0; }
`.trim()

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Welcome to Tailmesh</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p><span class="badge">Tailmesh</span></p>
<h1>Welcome to your community</h1>
<p>This is a <strong>web panel</strong>: a page shown inside the group. Group admins can point it at any
page that allows framing: your wiki, a schedule, a dashboard. Edit it under Group settings → Panels.</p>
<h2>Getting started</h2>
<ul>
<li>Say hello in <strong>#general</strong>, and keep off-topic chatter in <strong>#off-topic</strong>.</li>
<li>News goes in <strong>#announcements</strong>: only admins post there.</li>
<li>Invite people with a link from the panel list; they see the group before they join.</li>
<li>Messages live on members' devices and travel peer to peer, end-to-end encrypted through this relay.</li>
</ul>
<hr>
<section lang="zh-CN">
<h1>欢迎来到你的社区</h1>
<p>这是一个<strong>网页面板</strong>：在群组中显示的网页。群组管理员可以把它指向任何允许嵌入的页面：你们的维基、日程或看板。在“群组设置 → 频道”中修改。</p>
<h2>开始使用</h2>
<ul>
<li>在 <strong>#general</strong> 打个招呼，闲聊请到 <strong>#off-topic</strong>。</li>
<li>公告发在 <strong>#announcements</strong>：只有管理员可以发言。</li>
<li>在频道列表中用链接邀请他人；加入前他们可以先看到群组。</li>
<li>消息保存在成员的设备上，点对点传输，经由此中继时端到端加密。</li>
</ul>
</section>
</main>
</body>
</html>
`

const styleHash = createHash('sha256').update(STYLE).digest('base64')

/** The welcome page's own policy: nothing but its inline stylesheet; framable from anywhere. */
export const WELCOME_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ')

export const WELCOME_PATH = '/welcome'

/** Answers GET/HEAD /welcome (no X-Frame-Options: this page is for framing). */
export function serveWelcome(method: string | undefined, res: ServerResponse): void {
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end()
    return
  }
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': WELCOME_CSP,
    'Cache-Control': 'public, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  })
  res.end(method === 'HEAD' ? undefined : HTML)
}
