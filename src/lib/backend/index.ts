/**
 * Tensor backend ladder.
 *
 * At start-up spikelab picks the first backend of this ladder that is installed and loads:
 *
 * | rung       | package                          | TF.js backend name | notes                                    |
 * |------------|----------------------------------|--------------------|------------------------------------------|
 * | `node-gpu` | `@tensorflow/tfjs-node-gpu`      | `tensorflow`       | optional: CUDA machines only             |
 * | `node`     | `@tensorflow/tfjs-node`          | `tensorflow`       | optional: needs libtensorflow downloaded |
 * | `webgpu`   | `@tensorflow/tfjs-backend-webgpu` + `webgpu` (Dawn) | `webgpu` | optional: a real GPU adapter (auto mode skips a software one) |
 * | `wasm`     | `@tensorflow/tfjs-backend-wasm`  | `wasm`             | the embedded default (XNNPACK, SIMD)     |
 * | `cpu`      | built into `@tensorflow/tfjs`    | `cpu`              | pure JS reference, ~30x slower than wasm |
 *
 * `SPIKELAB_BACKEND=<rung>` or {@link useBackend} overrides the choice. One line says which backend
 * runs and why the rungs above it were skipped. The wasm rung also registers the kernels TF.js
 * 4.22 lacks or gets wrong on wasm (see `wasm-kernels.ts`), so conv nets train there. The webgpu
 * rung's start-up (Dawn globals before the backend loads, adapter detection) is in `webgpu.ts`, the
 * node-gpu rung's diagnostics (which CUDA library is missing) in `cuda.ts`.
 */
import { createRequire } from "node:module";
import { tf } from "./tf.js";
import { errorLine, isInstalled } from "./packages.js";
import { hasCudaDevice, nativeLoadFailure, NO_CUDA_DEVICE } from "./cuda.js";
import { registerWasmKernels } from "./wasm-kernels.js";
import { describeAdapter, startWebGpu } from "./webgpu.js";

export { tf };
export { wasmHeapMemory } from "./wasm-heap.js";
export { webgpuAdapter, type WebGpuAdapter } from "./webgpu.js";

/** The rungs of the ladder, best first. */
export const BACKEND_LADDER = ["node-gpu", "node", "webgpu", "wasm", "cpu"] as const;
export type BackendRung = (typeof BACKEND_LADDER)[number];

export interface SkippedRung {
  rung: BackendRung;
  why: string;
}

export interface BackendChoice {
  /** The rung that runs. */
  rung: BackendRung;
  /** The TF.js backend name (`tensorflow`, `webgpu`, `wasm` or `cpu`). */
  tfBackend: string;
  /** What runs it, where the rung says (webgpu: the adapter and whether it is a software one). */
  detail?: string;
  /** Why this rung was chosen (`auto`, `SPIKELAB_BACKEND`, `useBackend()`). */
  reason: string;
  /** Rungs above the chosen one and why each was not used. */
  skipped: SkippedRung[];
}

const PACKAGE_OF: Record<BackendRung, string | null> = {
  "node-gpu": "@tensorflow/tfjs-node-gpu",
  node: "@tensorflow/tfjs-node",
  webgpu: null, // two packages, checked by webgpu.ts
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: null,
};

const TF_NAME_OF: Record<BackendRung, string> = {
  "node-gpu": "tensorflow",
  node: "tensorflow",
  webgpu: "webgpu",
  wasm: "wasm",
  cpu: "cpu",
};

let current: BackendChoice | null = null;
let pending: Promise<BackendChoice> | null = null;

export function isBackendRung(name: string): name is BackendRung {
  return (BACKEND_LADDER as readonly string[]).includes(name);
}

interface RungUp {
  detail?: string;
}

/**
 * Try to bring one rung up. Returns the rung's detail on success, or the reason it cannot run.
 * Optional native packages are loaded with `require`, so TF.js sees the same module instance.
 * `forced`: the rung was asked for by name (webgpu then accepts a software adapter).
 */
async function tryRung(rung: BackendRung, forced: boolean): Promise<RungUp | string> {
  if (rung === "webgpu") {
    const r = await startWebGpu(forced);
    return r.ok ? { detail: describeAdapter(r.adapter) } : r.why;
  }
  const pkg = PACKAGE_OF[rung];
  if (pkg !== null) {
    if (!isInstalled(pkg)) return `${pkg} is not installed`;
    try {
      createRequire(import.meta.url)(pkg);
    } catch (e) {
      return nativeLoadFailure(pkg, e);
    }
  }
  const tfName = TF_NAME_OF[rung];
  if (rung === "node-gpu" || rung === "node") {
    // Both packages register the backend `tensorflow`; only -gpu sees a CUDA device.
    if (tf.findBackendFactory(tfName) == null) return `${pkg} loaded but registered no '${tfName}' backend`;
  }
  if (rung === "wasm") registerWasmKernels();
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (e) {
    return `initialising '${tfName}' failed: ${errorLine(e)}`;
  }
  if (!ok) return `initialising '${tfName}' failed`;
  await tf.ready();
  if (rung === "node-gpu" && !hasCudaDevice()) return NO_CUDA_DEVICE;
  silenceCpuBanner();
  return {};
}

/**
 * The cpu backend prints a multi-line "install tfjs-node" banner on first use; spikelab already says
 * in its one backend line which native rungs were skipped and why, so the banner is switched off.
 */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend("cpu") as { firstUse?: boolean } | null;
  if (cpu && "firstUse" in cpu) cpu.firstUse = false;
}

/** The one line printed at start-up. */
export function describeBackend(choice: BackendChoice): string {
  const skipped = choice.skipped.map((s) => `${s.rung}: ${s.why}`).join("; ");
  return `[spikelab] backend ${choice.rung} (tf '${choice.tfBackend}', ${choice.reason}${choice.detail ? `; ${choice.detail}` : ""})` +
    (skipped ? ` — skipped ${skipped}` : "");
}

export interface InitOptions {
  /** Print the one-line summary (default: true unless `SPIKELAB_QUIET=1`). */
  log?: boolean;
}

async function choose(forced: BackendRung | null, reason: string, opts: InitOptions): Promise<BackendChoice> {
  const skipped: SkippedRung[] = [];
  const rungs = forced ? [forced] : [...BACKEND_LADDER];
  for (const rung of rungs) {
    const up = await tryRung(rung, forced !== null);
    if (typeof up !== "string") {
      const choice: BackendChoice = { rung, tfBackend: TF_NAME_OF[rung], reason, skipped, ...(up.detail ? { detail: up.detail } : {}) };
      current = choice;
      const log = opts.log ?? process.env.SPIKELAB_QUIET !== "1";
      if (log) console.log(describeBackend(choice));
      return choice;
    }
    if (forced) throw new Error(`backend '${rung}' was requested (${reason}) but cannot run: ${up}`);
    skipped.push({ rung, why: up });
  }
  throw new Error(`no TF.js backend could start: ${skipped.map((s) => `${s.rung}: ${s.why}`).join("; ")}`);
}

/**
 * Pick the backend once per process: `SPIKELAB_BACKEND` if set, otherwise the first rung of
 * {@link BACKEND_LADDER} that loads. Later calls return the same choice.
 */
export function initBackend(opts: InitOptions = {}): Promise<BackendChoice> {
  if (current) return Promise.resolve(current);
  if (!pending) {
    const env = process.env.SPIKELAB_BACKEND?.trim();
    if (env && !isBackendRung(env)) {
      return Promise.reject(new Error(
        `SPIKELAB_BACKEND='${env}' is not a backend; expected one of ${BACKEND_LADDER.join(", ")}`));
    }
    pending = choose(env ? (env as BackendRung) : null, env ? "SPIKELAB_BACKEND" : "auto", opts)
      .finally(() => { pending = null; });
  }
  return pending;
}

/** Switch to a named rung now (throws, naming the reason, if it cannot run). */
export async function useBackend(rung: BackendRung, opts: InitOptions = {}): Promise<BackendChoice> {
  if (!isBackendRung(rung)) {
    throw new Error(`useBackend('${rung as string}'): expected one of ${BACKEND_LADDER.join(", ")}`);
  }
  return choose(rung, "useBackend()", opts);
}

/** The backend chosen so far, or null before {@link initBackend}. */
export function currentBackend(): BackendChoice | null {
  return current;
}
