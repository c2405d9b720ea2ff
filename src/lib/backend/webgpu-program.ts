/**
 * Custom WGSL compute programs on TF.js 4.22's webgpu backend: the one place that knows the
 * interface of `@tensorflow/tfjs-backend-webgpu`'s programs (`WebGPUProgram`) and
 * `WebGPUBackend.runWebGPUProgram`, so kernels elsewhere write only their WGSL body.
 *
 * The backend wraps a program's `getUserCode()` in a shader that declares, per input name `A` in
 * `variableNames`, `var<storage, read> A : array<f32>` and the uniforms `uniforms.aShape` (and the
 * output's `uniforms.outShape`), and the output `result : array<f32>`; `main(index)` runs once per
 * thread with `index` the flat global thread id (a flat dispatch layout, so the backend may fold a
 * too-large dispatch into 2-D and still hand out flat ids). One program has one output.
 * Compiled pipelines are cached by `shaderKey` (plus input ranks and dtypes), so every constant
 * baked into the WGSL must be in the key.
 */
import type { tf } from "./tf.js";

export type TensorInfo = tf.TensorInfo;

/** The fields of tfjs-backend-webgpu's `WebGPUProgram` a flat program needs. */
export interface WgslProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  getUserCode(): string;
}

/** The method of `WebGPUBackend` that runs a program (public in 4.22). */
interface WebGpuRunner {
  runWebGPUProgram(program: WgslProgram, inputs: TensorInfo[], outputDtype: "float32"): TensorInfo;
}

/**
 * A program with `threads` invocations in workgroups of `workgroup` (flat layout), writing a
 * float32 output of `outputShape`; `body` is WGSL that defines `main` via {@link WGSL_MAIN}.
 */
export function flatProgram(shaderKey: string, variableNames: string[], outputShape: number[], threads: number, body: string, workgroup = 64): WgslProgram {
  return {
    variableNames, outputShape, shaderKey: `spikelab_${shaderKey}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, Math.ceil(threads / workgroup)), 1, 1],
    workgroupSize: [workgroup, 1, 1],
    getUserCode: () => body,
  };
}

/** The header of the program's entry (`index`: the flat thread id). */
export const WGSL_MAIN = "fn main(index : i32)";

/** Run `program` on the webgpu backend with these inputs (in `variableNames` order). */
export function runProgram(backend: unknown, program: WgslProgram, inputs: TensorInfo[]): TensorInfo {
  for (const t of inputs) {
    if (t.dtype !== "float32") throw new Error(`${program.shaderKey}: inputs must be float32, got ${t.dtype} [${t.shape}]`);
  }
  return (backend as WebGpuRunner).runWebGPUProgram(program, inputs, "float32");
}

/**
 * A float32 constant as a WGSL literal that parses to exactly `Math.fround(x)`: the shortest
 * decimal of the rounded value (as a double it is exact, so the f32 conversion is exact too).
 */
export function wgslF32(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) throw new Error(`wgslF32: constant must be finite in float32, got ${x}`);
  if (Object.is(v, -0)) return "f32(-0.0)";
  return `f32(${String(v)})`;
}
