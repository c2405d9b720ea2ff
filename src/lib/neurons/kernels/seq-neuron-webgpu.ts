/**
 * The fused sequential-neuron kernels on the `webgpu` backend as WGSL compute programs: one thread
 * per neuron n walks the T steps (forward t = 0 … T−1, backward t = T−1 … 0), the equations of
 * `seq-neuron.ts` in the float32 op order of the wasm SIMD kernels (`seq-neuron-simd.ts`):
 *
 *   forward:  H[t] = charge(V[t−1], X[t]) (V[−1] = V0),  S[t] = Θ(H[t] − V_th),
 *             V[t] = S ? V_reset : H (hard),  S ? H − V_th : H (soft)
 *   backward: σ′ = g′(H − V_th), S = Θ(H − V_th) recomputed,
 *             g_V = α·g_H[t+1] (+ gV[t]),  g_H[t] = g_V·ψ (+ gS[t]·σ′) (+ gH[t]),
 *             gX[t] = β·g_H[t],  gV0 = α·g_H[0]   (ψ per reset mode, see seq-neuron.ts)
 *
 * A tfjs webgpu program has one output, so the forward is one program specialised per output
 * (S, V or H: three runs, each re-walking the recurrence — the walk is a few flops per element,
 * memory-bound either way) and the backward one per output (gX [T, N] or gV0 [N]). Constants
 * (charge, threshold, reset, surrogate, α, β) and which upstream gradients exist are baked into the
 * WGSL and the shader key; T and N come from the input shapes' uniforms, so one pipeline serves
 * every layer size. The compiler may contract a·b + c into an FMA, so results agree with the
 * op-by-op path to float32 rounding, not bit for bit.
 */
import { flatProgram, runProgram, WGSL_MAIN, wgslF32 as c, type TensorInfo } from "../../backend/webgpu-program.js";
import type { GradInputs } from "./seq-neuron-simd.js";
import type { SeqKernelAttrs } from "./seq-neuron.js";
import { wgslFires, wgslSurrogate, wgslSurrogateSupports } from "./surrogate-wgsl.js";

/** Whether the WGSL kernels cover this configuration (a built-in surrogate). */
export function seqWebGpuSupports(a: SeqKernelAttrs): boolean {
  return wgslSurrogateSupports(a.sgKind);
}

/** H = charge(vp, xi) in the op order of `ChargeKind` (base.ts). */
function chargeWgsl(a: SeqKernelAttrs): string {
  const tau = c(a.tau), vr = c(a.soft ? 0 : a.vReset);
  switch (a.charge) {
    case "if": return "vp + xi";
    case "lif-decay": return `vp + (xi - vp) / ${tau}`;
    case "lif-decay-vr": return `vp + (xi - (vp - ${vr})) / ${tau}`;
    case "lif-nodecay": return `vp * ${c(1 - 1 / a.tau)} + xi`;
    case "lif-nodecay-vr": return `(vp - (vp - ${vr}) / ${tau}) + xi`;
    case "legacy": return `vp * ${tau} + xi`;
  }
}

type ForwardOutput = "S" | "V" | "H";

function forwardProgram(a: SeqKernelAttrs, out: ForwardOutput) {
  const th = c(a.vThreshold), vr = c(a.soft ? 0 : a.vReset);
  const value = out === "S" ? "select(0.0, 1.0, s)" : out === "V" ? "vn" : "h";
  const body = `
    ${WGSL_MAIN} {
      let T = uniforms.xShape.x;
      let N = uniforms.xShape.y;
      let n = index;
      if (n >= N) { return; }
      var v = V0[n];
      for (var t = 0; t < T; t++) {
        let i = t * N + n;
        let vp = v;
        let xi = X[i];
        let h = ${chargeWgsl(a)};
        let d = h - ${th};
        let s = ${wgslFires(a.tie, "d")};
        let vn = select(h, ${a.soft ? "d" : vr}, s);
        result[i] = ${value};
        v = vn;
      }
    }`;
  const key = ["seqfwd", out, a.charge, a.tau, a.vThreshold, a.soft ? "soft" : a.vReset, a.tie].join("_");
  return flatProgram(key, ["X", "V0"], [a.T, a.N], a.N, body);
}

/** x [T, N], v0 [N] → S, V, H [T, N]. */
export function seqWebGpuForward(backend: unknown, x: TensorInfo, v0: TensorInfo, a: SeqKernelAttrs): TensorInfo[] {
  return (["S", "V", "H"] as const).map((o) => runProgram(backend, forwardProgram(a, o), [x, v0]));
}

function backwardProgram(a: SeqKernelAttrs, g: GradInputs, out: "gX" | "gV0") {
  const th = c(a.vThreshold), vr = c(a.soft ? 0 : a.vReset), alpha = c(a.alpha), beta = c(a.beta);
  const mode = (a.soft ? 2 : 0) + (a.detachReset ? 1 : 0); // 0 hard, 1 hard+detach, 2 soft, 3 soft+detach
  const psi = ["(1.0 - s + (" + vr + " - h) * sp)", "(1.0 - s)", `(1.0 - ${th} * sp)`, ""][mode]!;
  const names = ["H", ...(g.gS ? ["GS"] : []), ...(g.gV ? ["GV"] : []), ...(g.gH ? ["GH"] : [])];
  const body = `
    ${wgslSurrogate(a.sgKind, a.sgParam)}
    ${WGSL_MAIN} {
      let T = uniforms.hShape.x;
      let N = uniforms.hShape.y;
      let n = index;
      if (n >= N) { return; }
      var carry = 0.0;
      for (var t = T - 1; t >= 0; t--) {
        let i = t * N + n;
        let h = H[i];
        let d = h - ${th};
        let s = select(0.0, 1.0, ${wgslFires(a.tie, "d")});
        let sp = sg(d);
        var gh = ${alpha} * carry${g.gV ? " + GV[i]" : ""};
        ${psi ? `gh = gh * ${psi};` : ""}
        ${g.gS ? "gh = gh + GS[i] * sp;" : ""}
        ${g.gH ? "gh = gh + GH[i];" : ""}
        ${out === "gX" ? `result[i] = ${beta} * gh;` : ""}
        carry = gh;
      }
      ${out === "gV0" ? `result[n] = ${alpha} * carry;` : ""}
    }`;
  const key = ["seqbwd", out, a.vThreshold, a.soft ? "soft" : a.vReset, a.detachReset, a.tie, a.sgKind, a.sgParam, a.alpha, a.beta, g.gS, g.gV, g.gH].join("_");
  return { program: flatProgram(key, names, out === "gX" ? [a.T, a.N] : [a.N], a.N, body), names };
}

/** h and the present upstream gradients gS, gV, gH [T, N] → gX [T, N], gV0 [N]. */
export function seqWebGpuBackward(backend: unknown, inputs: Record<string, TensorInfo | undefined>, a: SeqKernelAttrs): TensorInfo[] {
  const g: GradInputs = { gS: inputs.gS !== undefined, gV: inputs.gV !== undefined, gH: inputs.gH !== undefined };
  const byName: Record<string, TensorInfo | undefined> = { H: inputs.h, GS: inputs.gS, GV: inputs.gV, GH: inputs.gH };
  return (["gX", "gV0"] as const).map((o) => {
    const { program, names } = backwardProgram(a, g, o);
    return runProgram(backend, program, names.map((k) => byName[k]!));
  });
}
