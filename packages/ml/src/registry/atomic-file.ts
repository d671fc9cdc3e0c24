/**
 * Crash-safe file writes: write a temporary file next to the target, fsync it, rename it over the target, fsync
 * the folder. A reader sees the old content or the new one, never a half-written file.
 * @module
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

let sequence = 0

/** A name for a temporary sibling of `path`, unique within this process and across processes. */
export function temporarySibling(path: string): string {
  sequence += 1
  return join(dirname(path), `.tmp-${basename(path)}-${process.pid}-${sequence}`)
}

/** fsync a file or folder by path (folders: so a rename or a new entry inside it survives a power cut). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Write `text` to a new file and fsync it (the file must not exist). */
export function writeNewFileSynced(path: string, text: string): void {
  const fd = openSync(path, 'wx')
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Replace `path` with `text` atomically and durably (temporary file + fsync + rename + folder fsync). */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = temporarySibling(path)
  try {
    writeNewFileSynced(tmp, text)
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  fsyncPath(dirname(path))
}
