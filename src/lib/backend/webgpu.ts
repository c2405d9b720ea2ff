/**
 * The `webgpu` rung: TF.js's WebGPU backend (`@tensorflow/tfjs-backend-webgpu`) on Dawn's Node
 * binding (the npm package `webgpu`), both optional dependencies (backends spec, "WebGPU (Dawn)").
 *
 * Start-up, in this order (the backend package decides at import time whether WebGPU exists, from
 * `globalThis.navigator.gpu`):
 * 1. Dawn's WebGPU classes (`GPUBuffer`, `GPUBufferUsage`, …) become globals and `navigator.gpu` is
 *    Dawn's `GPU` object (existing globals are left alone);
 * 2. an adapter is requested (`high-performance`, as the backend does) and described: name, vendor,
 *    and whether it is a fallback (software) adapter such as Mesa's lavapipe (llvmpipe) or SwiftShader;
 * 3. only then the backend package is loaded (`require`, so it registers on the same TF.js instance),
 *    `WEBGPU_CPU_FORWARD` is switched off (otherwise small ops silently run on the CPU), the kernels
 *    webgpu 4.22 gets wrong are wrapped (`webgpu-kernels.ts`) and `tf.setBackend('webgpu')` creates
 *    the device.
 *
 * In auto mode a fallback adapter is refused before step 3 (on lavapipe a conv-SNN step is ~3× slower
 * than wasm); `SPIKELAB_BACKEND=webgpu` or `useBackend('webgpu')` use it anyway.
 *
 * On webgpu in Node, synchronous reads (`dataSync`, `arraySync`) throw (`OffscreenCanvas is not
 * defined`): library code reads with `await t.data()`.
 */
import { createRequire } from "node:module";
import { tf } from "./tf.js";
import { errorLine, isInstalled } from "./packages.js";
import { registerWebGpuKernels } from "./webgpu-kernels.js";

const require = createRequire(import.meta.url);

export const WEBGPU_PACKAGES = ["webgpu", "@tensorflow/tfjs-backend-webgpu"] as const;

/** What the adapter says about itself (GPUAdapterInfo), plus the fallback flag. */
export interface WebGpuAdapter {
  /** Driver description, e.g. `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)` (may be empty on some drivers). */
  description: string;
  vendor: string;
  architecture: string;
  device: string;
  /** A software (CPU) adapter: lavapipe/llvmpipe, SwiftShader, WARP. */
  isFallback: boolean;
}

/** Minimal view of Dawn's adapter (its `info` is a GPUAdapterInfo; older Dawn put the flag on the adapter). */
interface DawnAdapter {
  info?: { description?: string; vendor?: string; architecture?: string; device?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}

/** A short name for the start-up line: the description, else vendor/architecture/device. */
export function adapterName(a: WebGpuAdapter): string {
  const name = a.description || [a.vendor, a.architecture, a.device].filter((s) => s).join(" ") || "unnamed adapter";
  return name.replace(/\s+/g, " ").trim();
}

/** The start-up line's words about the adapter. */
export function describeAdapter(a: WebGpuAdapter): string {
  return `adapter '${adapterName(a)}'${a.isFallback ? ", a fallback (software) adapter" : ""}`;
}

/** Read a Dawn adapter's info; a software driver is a fallback adapter even where the flag is missing. */
export function adapterOf(raw: DawnAdapter): WebGpuAdapter {
  const i = raw.info ?? {};
  const a = {
    description: i.description ?? "", vendor: i.vendor ?? "", architecture: i.architecture ?? "", device: i.device ?? "",
  };
  const software = /llvmpipe|lavapipe|swiftshader|\bwarp\b|software/i.test(`${a.description} ${a.architecture} ${a.device}`);
  return { ...a, isFallback: i.isFallbackAdapter === true || raw.isFallbackAdapter === true || software };
}

let gpu: DawnGpu | null = null;

/** Step 1: Dawn's globals and `navigator.gpu` (once per process). */
async function installDawnGlobals(): Promise<DawnGpu> {
  if (gpu) return gpu;
  // Through a variable, so TypeScript does not need the optional package's types to build.
  const dawnPackage: string = WEBGPU_PACKAGES[0];
  const dawn = (await import(dawnPackage)) as unknown as { create(flags: string[]): DawnGpu; globals: Record<string, unknown> };
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in g)) g[k] = v;
  const created = dawn.create([]);
  if (g.navigator === undefined) g.navigator = {};
  const nav = g.navigator as { gpu?: unknown };
  if (!nav.gpu) Object.defineProperty(nav, "gpu", { value: created, configurable: true });
  gpu = nav.gpu as DawnGpu;
  return gpu;
}

function missingPackage(): string | null {
  return WEBGPU_PACKAGES.find((pkg) => !isInstalled(pkg)) ?? null;
}

export type WebGpuStart = { ok: true; adapter: WebGpuAdapter } | { ok: false; why: string; adapter?: WebGpuAdapter };

let adapterSeen: WebGpuAdapter | null = null;

/** The adapter the webgpu rung found (null before it was tried, or when none was found). */
export function webgpuAdapter(): WebGpuAdapter | null {
  return adapterSeen;
}

/**
 * Bring the webgpu backend up (steps 1–3 of the file comment). `allowFallback` false (auto mode)
 * refuses a software adapter before the backend package loads. Never throws: a failure is a reason.
 */
export async function startWebGpu(allowFallback: boolean): Promise<WebGpuStart> {
  const missing = missingPackage();
  if (missing) return { ok: false, why: `${missing} is not installed (optional dependency)` };
  let adapter: WebGpuAdapter;
  try {
    const raw = await (await installDawnGlobals()).requestAdapter({ powerPreference: "high-performance" });
    if (raw == null) {
      return {
        ok: false,
        why: "Dawn found no WebGPU adapter (no Vulkan driver; for a software one install Mesa >= 24 lavapipe " +
          "and set VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json)",
      };
    }
    adapter = adapterSeen = adapterOf(raw);
  } catch (e) {
    return { ok: false, why: `webgpu (Dawn) failed to start: ${errorLine(e)}` };
  }
  if (adapter.isFallback && !allowFallback) {
    return { ok: false, adapter, why: `only a fallback (software) adapter '${adapterName(adapter)}', slower than wasm; SPIKELAB_BACKEND=webgpu uses it` };
  }
  try {
    require("@tensorflow/tfjs-backend-webgpu");
  } catch (e) {
    return { ok: false, adapter, why: `@tensorflow/tfjs-backend-webgpu failed to load: ${errorLine(e)}` };
  }
  if (tf.findBackendFactory("webgpu") == null) {
    return { ok: false, adapter, why: "@tensorflow/tfjs-backend-webgpu loaded but registered no 'webgpu' backend (navigator.gpu missing at its import?)" };
  }
  tf.env().set("WEBGPU_CPU_FORWARD", false);
  registerWebGpuKernels();
  try {
    if (!(await tf.setBackend("webgpu"))) return { ok: false, adapter, why: "initialising 'webgpu' failed" };
  } catch (e) {
    return { ok: false, adapter, why: `initialising 'webgpu' failed: ${errorLine(e)}` };
  }
  await tf.ready();
  return { ok: true, adapter };
}
