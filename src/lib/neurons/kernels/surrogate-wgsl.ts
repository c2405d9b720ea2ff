/**
 * Surrogate derivatives g′(d) as a WGSL function `sg(d : f32) -> f32`, for the webgpu kernels: the
 * float32 formulas of the wasm SIMD kernels (`surrogateDerivative` in `seq-neuron-simd.ts`), op for op.
 *
 *   sigmoid(α):          α·e / ((1 + e)·(1 + e)),  e = exp(−α·|d|)   (even in d; no overflow)
 *   atan(α):             (α/2) / (1 + (k·d)·(k·d)),  k = π/2·α
 *   triangle(γ):         m = γ − |d|;  m > 0 ? (1/γ²)·m : 0
 *   rectangle(w):        |d| < w/2 ? 1/w : 0
 *   inverseQuadratic(α): 1 / (1 + (α·d)·d)
 */
import { wgslF32 as c } from "../../backend/webgpu-program.js";

const f = Math.fround;

export const WGSL_SURROGATES = ["atan", "sigmoid", "triangle", "rectangle", "inverseQuadratic"] as const;

/** Whether {@link wgslSurrogate} covers this surrogate kind. */
export function wgslSurrogateSupports(kind: string): boolean {
  return (WGSL_SURROGATES as readonly string[]).includes(kind);
}

/** `fn sg(d : f32) -> f32` for surrogate `kind` with parameter `p`. */
export function wgslSurrogate(kind: string, p: number): string {
  let body: string;
  switch (kind) {
    case "sigmoid":
      body = `let e = exp(${c(-p)} * abs(d)); return (${c(p)} * e) / ((1.0 + e) * (1.0 + e));`;
      break;
    case "atan": {
      const k = c(f((Math.PI / 2) * p));
      body = `return ${c(p / 2)} / (1.0 + (${k} * d) * (${k} * d));`;
      break;
    }
    case "triangle":
      body = `let m = ${c(p)} - abs(d); return select(0.0, ${c(1 / (p * p))} * m, m > 0.0);`;
      break;
    case "rectangle":
      body = `return select(0.0, ${c(1 / p)}, abs(d) < ${c(p / 2)});`;
      break;
    case "inverseQuadratic":
      body = `return 1.0 / (1.0 + (${c(p)} * d) * d);`;
      break;
    default:
      throw new Error(`surrogate-wgsl: surrogate ${JSON.stringify(kind)} has no WGSL form; expected one of ${WGSL_SURROGATES.join(", ")}`);
  }
  return `fn sg(d : f32) -> f32 { ${body} }`;
}

/** The spike Θ(d) as a WGSL bool expression with the tie rule. */
export function wgslFires(tie: string, d: string): string {
  return tie === ">=" ? `(${d} >= 0.0)` : `(${d} > 0.0)`;
}
