/**
 * Zip archives through `yauzl` (maintained, zip64, random access by central directory): list the entries
 * and extract selected ones, each to a temp file renamed into place only after its size and CRC-32
 * match the central directory — a reader never sees a half-written file, and an interrupted
 * extraction resumes by skipping files already complete (same size; their CRC was checked before the
 * rename that made them visible).
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "node:zlib";
import yauzl from "yauzl";

export interface ZipEntryInfo {
  /** Path inside the archive, `/`-separated. */
  name: string;
  isDirectory: boolean;
  uncompressedSize: number;
  crc32: number;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true }, (e, z) => (e ? rej(new Error(`${path}: not a readable zip archive (${e.message})`)) : res(z))));
}

async function eachEntry(z: yauzl.ZipFile, f: (e: yauzl.Entry) => Promise<void>): Promise<void> {
  await new Promise<void>((res, rej) => {
    z.on("entry", (e: yauzl.Entry) => { f(e).then(() => z.readEntry(), rej); });
    z.on("end", () => res());
    z.on("error", rej);
    z.readEntry();
  });
}

function info(e: yauzl.Entry): ZipEntryInfo {
  return { name: e.fileName, isDirectory: e.fileName.endsWith("/"), uncompressedSize: e.uncompressedSize, crc32: e.crc32 };
}

/** Every entry of the archive, in central-directory order. */
export async function listZipEntries(path: string): Promise<ZipEntryInfo[]> {
  const z = await openZip(path);
  const out: ZipEntryInfo[] = [];
  try { await eachEntry(z, async (e) => { out.push(info(e)); }); } finally { z.close(); }
  return out;
}

export interface ExtractZipOptions {
  /** Destination file of an entry, or null to skip it (directories are never passed). */
  target(entry: ZipEntryInfo): string | null;
  /** Called after each selected entry (written or already complete). */
  onEntry?(entry: ZipEntryInfo, written: boolean): void;
}

/**
 * Extract the selected entries. Returns how many were written now and how many were already complete.
 * A size or CRC-32 mismatch throws with the entry's name, and nothing is left under its final name.
 */
export async function extractZip(path: string, o: ExtractZipOptions): Promise<{ written: number; skipped: number }> {
  const z = await openZip(path);
  let written = 0, skipped = 0;
  try {
    await eachEntry(z, async (e) => {
      const ent = info(e);
      if (ent.isDirectory) return;
      const dest = o.target(ent);
      if (dest === null) return;
      if (existsSync(dest) && statSync(dest).size === ent.uncompressedSize) {
        skipped++;
        o.onEntry?.(ent, false);
        return;
      }
      if (e.isEncrypted()) throw new Error(`${path}: entry ${ent.name} is encrypted; expected a plain zip`);
      mkdirSync(dirname(dest), { recursive: true });
      const part = `${dest}.part`;
      let crc = 0, size = 0;
      const check = new Transform({
        transform(chunk: Buffer, _enc, cb) { crc = crc32(chunk, crc); size += chunk.length; cb(null, chunk); },
      });
      try {
        const stream = await z.openReadStreamPromise(e);
        await pipeline(stream, check, createWriteStream(part));
        if (size !== ent.uncompressedSize) throw new Error(`${path}: entry ${ent.name}: ${size} bytes extracted, the central directory says ${ent.uncompressedSize}`);
        if (crc >>> 0 !== ent.crc32 >>> 0) throw new Error(`${path}: entry ${ent.name}: CRC-32 ${(crc >>> 0).toString(16).padStart(8, "0")}, expected ${(ent.crc32 >>> 0).toString(16).padStart(8, "0")} (corrupt archive)`);
        renameSync(part, dest);
      } catch (err) {
        rmSync(part, { force: true });
        const msg = (err as Error).message;
        throw msg.startsWith(path) ? err : new Error(`${path}: entry ${ent.name}: ${msg}`);
      }
      written++;
      o.onEntry?.(ent, true);
    });
  } finally {
    z.close();
  }
  return { written, skipped };
}
