import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the fake received. */
export interface Received {
  readonly method: string
  readonly path: string
  readonly body: unknown
  readonly raw: string
}

/**
 * A local stand-in for the Telegram Bot API and a Slack incoming webhook on 127.0.0.1. Answers as the real services
 * document: Telegram `{"ok":true,"result":{...}}` for sendMessage, 404 `{"ok":false,"error_code":404,"description":
 * "Not Found"}` for a wrong token; Slack `ok` (text/plain) for a known hook, 404 `no_service` otherwise.
 */
export async function startFakeChatServer(args: { readonly token: string; readonly slackPath: string }) {
  const received: Received[] = []
  let telegramReply: { status: number; body: unknown } | undefined
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    let raw = ''
    req.on('data', (d: Buffer) => (raw += d.toString()))
    req.on('end', () => {
      let body: unknown = raw
      try {
        body = JSON.parse(raw)
      } catch {
        // leave as text
      }
      const path = req.url ?? ''
      received.push({ method: req.method ?? '', path, body, raw })
      const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
      if (path === `/bot${args.token}/sendMessage`) {
        if (telegramReply !== undefined) return json(telegramReply.status, telegramReply.body)
        const b = body as { chat_id: string; text: string }
        return json(200, { ok: true, result: { message_id: received.length, date: 1_700_000_000, chat: { id: Number(b.chat_id), type: 'private' }, text: b.text } })
      }
      if (path.startsWith('/bot')) return json(404, { ok: false, error_code: 404, description: 'Not Found' })
      if (path === args.slackPath) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      if (path === '/hook') return json(202, { accepted: true })
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service')
    })
  }
  const server: Server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    received,
    /** Make the next Telegram answers this (undefined: back to success). */
    replyTelegram(reply: { status: number; body: unknown } | undefined) {
      telegramReply = reply
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
