/** File helpers: every cache and result file is written atomically (temp file in the same folder + rename). */
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Temp file of {@link writeFileAtomic}: `.<name>.<pid>.<8 hex>.tmp` beside the target, so its writer can be told. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** Whether process `pid` exists on this machine (signal 0 probes without delivering; EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove the temp files that {@link writeFileAtomic} left in `dir` when its process died mid-write (`kill -9`,
 * power loss): those of a process that no longer exists. Temp files of live processes (this one included)
 * may still be renamed into place and are kept. Returns the names removed. Assumes `dir` is written from
 * this machine only (pids of another host cannot be probed).
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try { names = await readdir(dir); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const stale = names.filter((n) => {
    const m = TEMP_NAME.exec(n);
    return m !== null && !processAlive(Number(m[1]));
  });
  for (const n of stale) await rm(join(dir, n), { force: true });
  return stale;
}

/**
 * Write `data` to `path` so that readers see either the old file or the complete new one, never a
 * half-written file: the bytes go to a temp file beside it, which is then renamed over `path`.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Synchronous {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Create the folder `dir` atomically: `fill` writes into a fresh sibling temp folder, which is then renamed
 * to `dir`. If `dir` already exists (made earlier, or by a concurrent process that won the race), nothing
 * is written. Readers therefore see either no folder or a complete one.
 */
export async function makeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const { existsSync, renameSync, rmSync, mkdirSync } = await import("node:fs");
  if (existsSync(dir)) return;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    if (!existsSync(dir)) renameSync(tmp, dir);
  } catch (e) {
    if (!existsSync(dir) || !(e instanceof Error && /ENOTEMPTY|EEXIST/.test(e.message))) throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
