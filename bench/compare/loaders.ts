/**
 * Parsing speed of spikelab's readers vs SpikingJelly's Python loaders on the same files.
 *
 *   SJ_PATH=/path/to/spikingjelly npx tsx bench/compare/loaders.ts [--mb 100]
 *
 * Both sides read the same generated files (bench/data.ts `writeBenchFiles`): AEDAT 3.1 (SJ
 * `load_aedat_v3`), AEDAT 2.0 (SJ CIFAR10-DVS `_load_origin_data`), ATIS .bin (SJ `load_ATIS_bin`).
 * Ours: the whole-file readers, best of 3; theirs: median of up to 3 runs. Prints MB/s,
 * events/s and the speed ratio, and writes reports/compare/loaders.json. Also the floor (write fresh output
 * columns, no reading, no decoding): SpikingJelly's time over it bounds the speed-up any reader
 * could reach here, which shows where a ratio target is out of reach (numpy-vectorised loaders).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../../src/lib/util/fs.js";
import { writeBenchFiles } from "../data.js";

export interface LoaderComparison {
  format: string;
  mb: number;
  events: number;
  oursS: number;
  sjS: number;
  ratio: number;
  /**
   * The floor: allocating and writing fresh output columns of the same event count (t f64, x/y u16,
   * p u8: 13 bytes per event), without reading the file or decoding a field — what any reader that
   * returns new typed arrays must pay at least. `sjS / floorS` bounds the speed-up over SpikingJelly
   * that is possible on this machine at all.
   */
  floorS: number;
}

/** Best of 3: allocate and write the four output columns for `n` events (see {@link LoaderComparison.floorS}). */
function outputFloor(n: number): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const t = new Float64Array(n), x = new Uint16Array(n), y = new Uint16Array(n), p = new Uint8Array(n);
    t.fill(1); x.fill(1); y.fill(1); p.fill(1);
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (t[n - 1]! + x[0]! + y[0]! + p[0]! < 0) throw new Error("unreachable: keeps the buffers alive");
  }
  return best;
}

export async function compareLoaders(sjPath: string, mb: number): Promise<LoaderComparison[]> {
  const dir = mkdtempSync(join(tmpdir(), "spikelab-compare-"));
  try {
    const files = writeBenchFiles(dir, mb);
    const ours = new Map<string, { s: number; n: number; floor: number }>();
    for (const f of files) {
      let best = Infinity, n = 0;
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        n = (await f.read(f.path)).t.length;
        best = Math.min(best, (performance.now() - t0) / 1000);
      }
      ours.set(f.format, { s: best, n, floor: outputFloor(n) });
    }
    const byFormat = Object.fromEntries(files.map((f) => [f.format, f.path]));
    const sj = JSON.parse(execFileSync("/usr/bin/python3", [join(fileURLToPath(new URL(".", import.meta.url)), "sj_loaders.py"), sjPath, byFormat.aedat3!, byFormat.aedat2!, byFormat.atis!], { encoding: "utf8", maxBuffer: 1 << 20 })) as Record<string, { seconds: number; events: number }>;
    return files.map((f) => {
      const o = ours.get(f.format)!, t = sj[f.format]!;
      if (t.events !== o.n) console.warn(`${f.name}: SpikingJelly decoded ${t.events} events, spikelab ${o.n}`);
      return { format: f.name, mb: statSync(f.path).size / 1e6, events: o.n, oursS: o.s, sjS: t.seconds, ratio: t.seconds / o.s, floorS: o.floor };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sjPath = process.env.SJ_PATH;
  if (!sjPath) {
    console.error("set SJ_PATH to a SpikingJelly source checkout (see bench/compare/README.md)");
    process.exit(2);
  }
  const i = process.argv.indexOf("--mb");
  const rows = await compareLoaders(sjPath, i >= 0 ? Number(process.argv[i + 1]) : 100);
  console.table(rows.map((r) => ({
    format: r.format, MB: +r.mb.toFixed(1), "events (M)": +(r.events / 1e6).toFixed(2),
    "spikelab MB/s": +(r.mb / r.oursS).toFixed(0), "SpikingJelly MB/s": +(r.mb / r.sjS).toFixed(1), "speed-up": `${r.ratio.toFixed(1)}×`,
    "floor MB/s": +(r.mb / r.floorS).toFixed(0), "ours ÷ floor": +(r.oursS / r.floorS).toFixed(2), "max possible speed-up": `${(r.sjS / r.floorS).toFixed(1)}×`,
  })));
  await writeFileAtomic("reports/compare/loaders.json", JSON.stringify(rows, null, 1));
}
