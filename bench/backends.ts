/**
 * webgpu vs wasm: one training step of each of bench/train-step.ts's networks on both backends, in one process,
 * interleaved round by round (each round times every net on both backends, the order alternating), so a load
 * change on a shared machine hits both arms of a round alike. Reports per-backend medians and the median per-round
 * ratio webgpu / wasm (< 1: the GPU is faster), with the adapter named. The first (warm-up) step is reported on its
 * own: on webgpu it compiles the shaders.
 *
 *   npm run bench -- --only backends [--rounds 3] [--nets vggmpe,seqcifar] [--width 0.125]
 *
 * `--width` scales every conv width (lavapipe, a software adapter, is ~10× slower than wasm: use 1/8 there);
 * the default 1 is the nets' published widths. Needs the webgpu rung (`SPIKELAB_BACKEND=webgpu` works on a
 * software adapter; README "Paper scale on a GPU").
 */
import { pathToFileURL } from "node:url";
import { currentBackend, describeBackend, useBackend, type BackendRung } from "../src/lib/backend/index.js";
import { writeFileAtomic } from "../src/lib/util/fs.js";
import { median } from "../src/lib/util/timing.js";
import { inProcessSession, NETS, type StepSession, type TrainNet } from "./train-step.js";

export interface BackendRow {
  net: string;
  wasmMs: number;
  webgpuMs: number;
  /** median over rounds of webgpu / wasm */
  ratio: number;
  wasmFirstMs: number;
  webgpuFirstMs: number;
}

/** bench/train-step.ts's nets with every conv width multiplied by `width`. */
export function netsAtWidth(width: number): TrainNet[] {
  if (width === 1) return NETS;
  return NETS.map((n) => ({ ...n, build: () => n.build(width), describe: `${n.describe}, width ×${width}` }));
}

async function on(rung: BackendRung): Promise<void> {
  if (currentBackend()?.rung !== rung) await useBackend(rung, { log: false });
}

export async function benchBackends(opts: { rounds?: number; nets?: string[]; width?: number } = {}): Promise<BackendRow[]> {
  const rounds = opts.rounds ?? 3, width = opts.width ?? 1;
  if (!(width > 0 && width <= 1)) throw new Error(`benchBackends: --width must be in (0, 1], got ${width}`);
  const nets = netsAtWidth(width).filter((n) => !opts.nets || opts.nets.includes(n.name));
  if (!nets.length) throw new Error(`benchBackends: no net in ${opts.nets?.join(",")}; expected ${NETS.map((n) => n.name).join(", ")}`);
  const rungs: BackendRung[] = ["wasm", "webgpu"];
  await on("webgpu");
  const adapter = describeBackend(currentBackend()!);
  const sessions = new Map<string, StepSession>(), first = new Map<string, number>(), times = new Map<string, number[]>();
  try {
    for (const net of nets) {
      for (const rung of rungs) {
        await on(rung);
        const t0 = performance.now();
        sessions.set(`${net.name}/${rung}`, await inProcessSession(net));
        first.set(`${net.name}/${rung}`, performance.now() - t0);
        times.set(`${net.name}/${rung}`, []);
      }
    }
    for (let r = 0; r < rounds; r++) {
      for (const net of nets) {
        const order = r % 2 ? [...rungs].reverse() : rungs;
        for (const rung of order) {
          await on(rung);
          times.get(`${net.name}/${rung}`)!.push(await sessions.get(`${net.name}/${rung}`)!.step());
        }
        console.log(`round ${r + 1} ${net.name}: wasm ${times.get(`${net.name}/wasm`)!.at(-1)!.toFixed(0)} ms, webgpu ${times.get(`${net.name}/webgpu`)!.at(-1)!.toFixed(0)} ms`);
      }
    }
  } finally {
    for (const [key, s] of sessions) { await on(key.split("/")[1] as BackendRung); s.dispose(); }
  }
  const rows: BackendRow[] = nets.map((net) => {
    const w = times.get(`${net.name}/wasm`)!, g = times.get(`${net.name}/webgpu`)!;
    return {
      net: net.name, wasmMs: median(w), webgpuMs: median(g), ratio: median(g.map((v, i) => v / w[i]!)),
      wasmFirstMs: first.get(`${net.name}/wasm`)!, webgpuFirstMs: first.get(`${net.name}/webgpu`)!,
    };
  });
  console.log(`\ntraining step (forward + backward + SGD), webgpu vs wasm; webgpu: ${adapter}; medians over ${rounds} interleaved rounds`);
  console.table(rows.map((r) => {
    const net = nets.find((n) => n.name === r.net)!;
    return {
      net: `${net.describe}, T ${net.T} × B ${net.batch}`, "wasm ms": +r.wasmMs.toFixed(0), "webgpu ms": +r.webgpuMs.toFixed(0),
      "webgpu / wasm": +r.ratio.toFixed(2), "first step wasm / webgpu ms": `${r.wasmFirstMs.toFixed(0)} / ${r.webgpuFirstMs.toFixed(0)}`,
    };
  }));
  await writeFileAtomic("reports/bench/backends.json", JSON.stringify({ adapter, width, rounds, rows }, null, 1));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
  await benchBackends({ rounds: Number(arg("--rounds") ?? 3), nets: arg("--nets")?.split(","), width: Number(arg("--width") ?? 1) });
}
