/**
 * Data pipeline benchmark: `npx tsx bench/data.ts [--mb 100] [--keep]`.
 *
 * Writes one file of at least `--mb` MB per raw format (AEDAT 3.1, AEDAT 2.0, ATIS) into a temp folder,
 * then reports parse throughput (MB/s, events/s; streaming reader, 4 MiB reads, best of 3), frame
 * integration throughput (samples of 100k events → T = 10 frames of 2×128×128), and the cache-hit load time
 * (open a finished cache + read every sample). The comparison with SpikingJelly's Python loaders on the
 * same files is done separately (the files are left in place with --keep).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFrameCache } from "../src/lib/data/cache.js";
import { allocEvents, sliceEvents, type Events } from "../src/lib/data/events.js";
import { readAedat2File, writeAedat2 } from "../src/lib/data/formats/aedat2.js";
import { readAedat3File, writeAedat3 } from "../src/lib/data/formats/aedat3.js";
import { readAtisFile, writeAtis } from "../src/lib/data/formats/atis.js";
import { integrateFixedFrames, type Frames } from "../src/lib/data/frames.js";

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** Fast pseudo-random events: sorted integer µs, uniform pixels. */
export function randomEvents(n: number, W: number, H: number, tStep: number, seed: number, tMax = Infinity): Events {
  const ev = allocEvents(n);
  let s = seed >>> 0 || 1;
  let t = 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    t += s % tStep;
    if (t >= tMax) t = tMax - 1;
    ev.t[i] = t;
    ev.x[i] = (s >>> 8) % W;
    ev.y[i] = (s >>> 16) % H;
    ev.p[i] = s & 1;
  }
  return ev;
}

function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  return f().then((r) => [r, (performance.now() - t0) / 1000]);
}

export interface BenchFile {
  name: string;
  format: "aedat3" | "aedat2" | "atis";
  path: string;
  read: (p: string) => Promise<Events>;
}

/** One file of at least `mb` MB per raw format, written into `dir` (also used by bench/compare). */
export function writeBenchFiles(dir: string, mb: number): BenchFile[] {
  const bytes = mb * 1e6;
  const files: BenchFile[] = [];
  {
    const p = join(dir, "bench3.aedat");
    writeFileSync(p, writeAedat3(randomEvents(Math.ceil(bytes / 8), 128, 128, 4, 1), { packetEvents: 8192 }));
    files.push({ name: "AEDAT 3.1 (DVS Gesture)", format: "aedat3", path: p, read: (f) => readAedat3File(f) });
  }
  {
    const p = join(dir, "bench2.aedat");
    writeFileSync(p, writeAedat2(randomEvents(Math.ceil(bytes / 8), 128, 128, 4, 2)));
    files.push({ name: "AEDAT 2.0 (CIFAR10-DVS)", format: "aedat2", path: p, read: (f) => readAedat2File(f) });
  }
  {
    const p = join(dir, "bench.bin");
    writeFileSync(p, writeAtis(randomEvents(Math.ceil(bytes / 5), 240, 180, 4, 3), { overflow: "tonic" }));
    files.push({ name: "ATIS .bin (N-Caltech101)", format: "atis", path: p, read: (f) => readAtisFile(f, { overflow: "tonic" }) });
  }
  return files;
}

export interface DataBenchResult {
  /** Table rows: step, size, throughput, rate, time. */
  rows: string[][];
  /** Machine-readable numbers. */
  parse: { format: string; mb: number; mbPerS: number; eventsPerS: number }[];
  integrate: { splitBy: string; framesPerS: number; eventsPerS: number }[];
  cacheHitMsPerSample: number;
}

/** Run the data benchmark (see module doc) and print its table. */
export async function benchData(opts: { mb?: number; keep?: boolean } = {}): Promise<DataBenchResult> {
  const MB = opts.mb ?? 100;
  const keep = opts.keep ?? false;
  if (!(MB > 0)) throw new Error(`benchData: mb must be > 0, got ${MB}`);
  const res: DataBenchResult = { rows: [], parse: [], integrate: [], cacheHitMsPerSample: NaN };
  const dir = mkdtempSync(join(tmpdir(), "spikelab-bench-data-"));
  const rows: string[][] = [];
  const files = writeBenchFiles(dir, MB);
  let sample: Events | null = null;
  for (const f of files) {
    const size = statSync(f.path).size;
    let best = Infinity;
    let n = 0;
    for (let r = 0; r < 3; r++) {
      const [ev, s] = await time(() => f.read(f.path));
      n = ev.t.length;
      best = Math.min(best, s);
      if (!sample && f.name.startsWith("AEDAT 3")) sample = ev;
    }
    res.parse.push({ format: f.name, mb: size / 1e6, mbPerS: size / 1e6 / best, eventsPerS: n / best });
    rows.push([`parse ${f.name}`, `${(size / 1e6).toFixed(1)} MB`, `${(size / 1e6 / best).toFixed(0)} MB/s`, `${(n / best / 1e6).toFixed(1)} M events/s`, `${best.toFixed(2)} s`]);
  }
  // frame integration: samples of 100k events → [10, 2, 128, 128]
  const ev = sample!;
  const per = 100_000;
  const nS = Math.floor(ev.t.length / per);
  const [, si] = await time(async () => {
    for (let i = 0; i < nS; i++) integrateFixedFrames(sliceEvents(ev, i * per, (i + 1) * per), { frames: 10, splitBy: "number", height: 128, width: 128 });
  });
  res.integrate.push({ splitBy: "number", framesPerS: (nS * 10) / si, eventsPerS: (nS * per) / si });
  rows.push(["integrate (split by number, T=10, 128×128)", `${nS} samples`, `${((nS * 10) / si).toFixed(0)} frames/s`, `${((nS * per) / si / 1e6).toFixed(1)} M events/s`, `${si.toFixed(2)} s`]);
  const [, st] = await time(async () => {
    for (let i = 0; i < nS; i++) integrateFixedFrames(sliceEvents(ev, i * per, (i + 1) * per), { frames: 10, splitBy: "time", height: 128, width: 128 });
  });
  res.integrate.push({ splitBy: "time", framesPerS: (nS * 10) / st, eventsPerS: (nS * per) / st });
  rows.push(["integrate (split by time, T=10, 128×128)", `${nS} samples`, `${((nS * 10) / st).toFixed(0)} frames/s`, `${((nS * per) / st / 1e6).toFixed(1)} M events/s`, `${st.toFixed(2)} s`]);
  // cache: build 64 samples, then time a hit (open + read all)
  const frames: Frames[] = [];
  for (let i = 0; i < 64; i++) frames.push(integrateFixedFrames(sliceEvents(ev, i * per, (i + 1) * per), { frames: 10, splitBy: "number", height: 128, width: 128 }));
  const params = { dataset: "bench", split: "train", frames: 10 };
  const items = frames.map((f, i) => ({ id: `s${i}`, label: i % 10, build: () => f }));
  const [, sb] = await time(() => buildFrameCache(join(dir, "cache"), params, items, { progress: false }));
  const [, sh] = await time(async () => {
    const c = await buildFrameCache(join(dir, "cache"), params, items, { progress: false });
    for (let i = 0; i < c.length; i++) await c.get(i);
  });
  const cacheMB = (64 * 10 * 2 * 128 * 128 * 4) / 1e6;
  rows.push(["cache build (64 samples [10,2,128,128])", `${cacheMB.toFixed(0)} MB`, `${(cacheMB / sb).toFixed(0)} MB/s`, "", `${sb.toFixed(2)} s`]);
  rows.push(["cache hit: open + load all 64", `${cacheMB.toFixed(0)} MB`, `${(cacheMB / sh).toFixed(0)} MB/s`, `${((sh / 64) * 1000).toFixed(2)} ms/sample`, `${sh.toFixed(2)} s`]);

  const head = ["step", "size", "throughput", "rate", "time"];
  const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => `| ${r.map((c, j) => c.padEnd(w[j]!)).join(" | ")} |`;
  console.log(`\nspikelab data benchmark (node ${process.version}, files in ${dir})`);
  console.log(line(head));
  console.log(`|${w.map((x) => "-".repeat(x + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  if (keep) console.log(`files kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  res.cacheHitMsPerSample = (sh / 64) * 1000;
  res.rows = rows;
  return res;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchData({ mb: arg("--mb", 100), keep: process.argv.includes("--keep") })
    .catch((e: Error) => { console.error(e); process.exitCode = 1; });
}
