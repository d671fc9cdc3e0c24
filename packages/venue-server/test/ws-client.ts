/** A raw WebSocket test client that records every frame it receives and how the connection ended. */
import WebSocket from 'ws'

export interface RecordingSocket {
  readonly frames: unknown[]
  closeCode(): number | undefined
  send(data: unknown): void
  /** Resolves once `n` frames have arrived (or rejects after `waitMs` of wall time). */
  waitFrames(n: number, waitMs?: number): Promise<unknown[]>
  waitClose(waitMs?: number): Promise<number>
  close(): void
}

export function openSocket(url: string): Promise<RecordingSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const frames: unknown[] = []
    let code: number | undefined
    const waiters: (() => void)[] = []
    const wake = (): void => {
      for (const w of waiters.splice(0)) w()
    }
    ws.on('message', (data) => {
      frames.push(JSON.parse(String(data)))
      wake()
    })
    ws.on('close', (c) => {
      code = c
      wake()
    })
    ws.on('error', reject)
    const until = (check: () => boolean, waitMs: number): Promise<void> =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error('timed out waiting for the socket')), waitMs)
        const poll = (): void => {
          if (check()) {
            clearTimeout(timer)
            res()
          } else waiters.push(poll)
        }
        poll()
      })
    ws.on('open', () =>
      resolve({
        frames,
        closeCode: () => code,
        send: (data) => ws.send(JSON.stringify(data)),
        waitFrames: async (n, waitMs = 5_000) => {
          await until(() => frames.length >= n, waitMs)
          return frames
        },
        waitClose: async (waitMs = 5_000) => {
          await until(() => code !== undefined, waitMs)
          return code as number
        },
        close: () => ws.close(),
      }),
    )
  })
}

/** Let the event loop deliver frames already on the wire (used before asserting that nothing arrived). */
export const settle = (ms = 150): Promise<void> => new Promise((r) => setTimeout(r, ms))
