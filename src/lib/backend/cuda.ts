/**
 * Diagnostics of the `node-gpu` rung (`@tensorflow/tfjs-node-gpu`, TF.js backend `tensorflow` on
 * libtensorflow 2.9.1 built for CUDA 11.2 and cuDNN 8.1, NVIDIA driver ≥ 450; README "Paper scale
 * on a GPU").
 *
 * When the package is installed but cannot load, the error is the dynamic loader's, e.g.
 * `libcudart.so.11.0: cannot open shared object file: No such file or directory` (glibc) or
 * `Error loading shared library libcudnn.so.8: No such file or directory (needed by …)` (musl);
 * the start-up line then names the missing library and what provides it, instead of the raw message.
 */
import { createRequire } from "node:module";
import { errorLine } from "./packages.js";

export const CUDA_REQUIREMENTS = "libtensorflow 2.9.1 needs CUDA 11.2, cuDNN 8.1 and an NVIDIA driver >= 450";

/** Where each library the GPU build of libtensorflow loads comes from. */
const PROVIDER: Array<[RegExp, string]> = [
  [/^libcudnn/, "cuDNN 8.1"],
  [/^libcuda\.so/, "the NVIDIA driver (>= 450)"],
  [/^lib(cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|nvrtc)/, "the CUDA 11.2 runtime"],
  [/^libnvinfer|^libnvonnxparser/, "TensorRT (optional)"],
  [/^libtensorflow/, "the libtensorflow the package downloads at install (re-run `npm rebuild @tensorflow/tfjs-node-gpu`)"],
];

/**
 * The shared library a dlopen error says is missing: the `lib*.so*` name just before "cannot open
 * shared object file", or after "Error loading shared library", else the first `lib*.so*` named
 * (never the path of the addon that needed it). Null if the message names none.
 */
export function missingSharedLibrary(message: string): string | null {
  const lib = String.raw`(lib[\w+-]+(?:\.[\w+-]+)*?\.so(?:\.\d+)*)`;
  const glibc = new RegExp(String.raw`(?:^|[\s/:'"])${lib}:\s*cannot open shared object file`).exec(message);
  if (glibc) return glibc[1]!;
  const musl = new RegExp(String.raw`Error loading shared library\s+(?:\S*/)?${lib}`).exec(message);
  if (musl) return musl[1]!;
  const any = new RegExp(String.raw`(?:^|[\s/:'"(])${lib}(?![\w.])`).exec(message);
  return any ? any[1]! : null;
}

/** The start-up line's reason when `pkg` failed to load with `error`. */
export function nativeLoadFailure(pkg: string, error: unknown): string {
  const msg = error instanceof Error ? error.message : String(error);
  const lib = missingSharedLibrary(msg);
  if (lib) {
    const from = PROVIDER.find(([re]) => re.test(lib))?.[1];
    const gpu = pkg.endsWith("-gpu") ? ` (${CUDA_REQUIREMENTS})` : "";
    return `${pkg} failed to load: shared library ${lib} not found${from ? ` — it comes with ${from}` : ""}${gpu}`;
  }
  return `${pkg} failed to load: ${errorLine(error)}`;
}

/** Whether libtensorflow sees a CUDA device (it falls back to the CPU, logging why, when CUDA libraries are missing). */
export function hasCudaDevice(): boolean {
  try {
    const gpu = createRequire(import.meta.url)("@tensorflow/tfjs-node-gpu") as { node?: { getNumGPUs?: () => number } };
    return (gpu.node?.getNumGPUs?.() ?? 1) > 0;
  } catch {
    return false;
  }
}

export const NO_CUDA_DEVICE = "no CUDA device visible to libtensorflow (its log above says which CUDA 11.2 / cuDNN 8.1 " +
  "library it could not dlopen; " + CUDA_REQUIREMENTS + ")";
