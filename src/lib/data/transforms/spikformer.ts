/**
 * SpikFormer-style DVS augmentation used by the IMP configs (papers §3.4, amazing-cls
 * `version_spikformer.py`, described there as TrivialAugment-style): per sample, one op is drawn
 * uniformly from {Identity, ShearX, ShearY, TranslateX, TranslateY, Rotate, Cutout}, one magnitude bin
 * uniformly from 31 bins spanning the op's range, and (for signed ops) a random sign. The same geometry
 * is applied to every frame and channel of the sample.
 *
 * Geometry (our formulation; torchvision `F.affine` semantics with nearest sampling and fill 0, centre
 * of the image as origin): output pixel (x, y) reads input at `A⁻¹·(x − cx, y − cy) + (cx, cy)` with
 * - ShearX v: `x_in = x − v·(y − cy)`;  ShearY v: `y_in = y − v·(x − cx)`;
 * - TranslateX d: `x_in = x − d`;  TranslateY d: `y_in = y − d` (d rounded to whole pixels);
 * - Rotate θ (degrees, counter-clockwise): inverse rotation of the output coordinates;
 * - Cutout s: a `s × s` square centred at a uniformly drawn pixel is zeroed.
 * Ranges (defaults, papers §3.4): shear ±0.3, translate ±5 px (N-Caltech101 configs use −0.5..5:
 * pass `translate: [-0.5, 5]`), rotate ±30°, cutout 1..30.
 */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";
import { checkFrames, type FrameTransform } from "./types.js";

export type SpikformerOp = "identity" | "shearX" | "shearY" | "translateX" | "translateY" | "rotate" | "cutout";
export const SPIKFORMER_OPS: readonly SpikformerOp[] =
  ["identity", "shearX", "shearY", "translateX", "translateY", "rotate", "cutout"];

/** Inverse-map affine warp, nearest neighbour, zero fill. `inv` maps centred output coords to centred input coords. */
export function affineNearest(f: Frames, inv: [number, number, number, number, number, number]): Frames {
  checkFrames(f, "affineNearest");
  const [T, C, H, W] = f.shape;
  const [a, b, tx, c, d, ty] = inv;
  const cx = (W - 1) / 2, cy = (H - 1) / 2;
  const out = new Float32Array(f.data.length);
  const map = new Int32Array(H * W).fill(-1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - cx, v = y - cy;
      const sx = Math.round(a * u + b * v + tx + cx);
      const sy = Math.round(c * u + d * v + ty + cy);
      if (sx >= 0 && sx < W && sy >= 0 && sy < H) map[y * W + x] = sy * W + sx;
    }
  }
  const HW = H * W;
  for (let pl = 0; pl < T * C; pl++) {
    const o = pl * HW;
    for (let i = 0; i < HW; i++) { const m = map[i]!; if (m >= 0) out[o + i] = f.data[o + m]!; }
  }
  return { data: out, shape: [T, C, H, W] };
}

/** Zero a `size × size` square centred at (cx, cy) in every frame/channel. */
export function cutout(f: Frames, cx: number, cy: number, size: number): Frames {
  checkFrames(f, "cutout");
  const [T, C, H, W] = f.shape;
  const out = f.data.slice();
  const y0 = Math.max(0, Math.round(cy - size / 2)), y1 = Math.min(H, Math.round(cy + size / 2));
  const x0 = Math.max(0, Math.round(cx - size / 2)), x1 = Math.min(W, Math.round(cx + size / 2));
  for (let pl = 0; pl < T * C; pl++) {
    for (let y = y0; y < y1; y++) out.fill(0, (pl * H + y) * W + x0, (pl * H + y) * W + x1);
  }
  return { data: out, shape: [T, C, H, W] };
}

/** Apply one op with a given (signed) magnitude; `rng` is only used by cutout's centre. */
export function applySpikformerOp(f: Frames, op: SpikformerOp, v: number, rng?: Rng): Frames {
  switch (op) {
    case "identity": return f;
    case "shearX": return affineNearest(f, [1, -v, 0, 0, 1, 0]);
    case "shearY": return affineNearest(f, [1, 0, 0, -v, 1, 0]);
    case "translateX": return affineNearest(f, [1, 0, -Math.round(v), 0, 1, 0]);
    case "translateY": return affineNearest(f, [1, 0, 0, 0, 1, -Math.round(v)]);
    case "rotate": {
      const r = (v * Math.PI) / 180;
      // image y points down: a counter-clockwise rotation on screen; inverse = rotate back
      return affineNearest(f, [Math.cos(r), -Math.sin(r), 0, Math.sin(r), Math.cos(r), 0]);
    }
    case "cutout": {
      const [, , H, W] = f.shape;
      const cx = rng ? rng.int(W) : (W - 1) / 2;
      const cy = rng ? rng.int(H) : (H - 1) / 2;
      return cutout(f, cx, cy, Math.round(v));
    }
    default: throw new Error(`applySpikformerOp: unknown op '${String(op)}', expected one of ${SPIKFORMER_OPS.join(", ")}`);
  }
}

export interface SpikformerOptions {
  shear?: number;
  translate?: [number, number];
  rotate?: number;
  cutout?: [number, number];
  bins?: number;
}

/** The per-sample random augmentation (see module doc). */
export class SpikformerDVSAugment implements FrameTransform {
  readonly shear: number;
  readonly translate: [number, number];
  readonly rotate: number;
  readonly cutoutRange: [number, number];
  readonly bins: number;
  constructor(o: SpikformerOptions = {}) {
    this.shear = o.shear ?? 0.3;
    this.translate = o.translate ?? [-5, 5];
    this.rotate = o.rotate ?? 30;
    this.cutoutRange = o.cutout ?? [1, 30];
    this.bins = o.bins ?? 31;
    if (!(this.bins >= 2)) throw new Error(`SpikformerDVSAugment: bins must be ≥ 2, got ${this.bins}`);
  }
  /** Draw (op, magnitude) — exposed so tests and logs can see what was applied. */
  sample(rng: Rng): { op: SpikformerOp; value: number } {
    const op = SPIKFORMER_OPS[rng.int(SPIKFORMER_OPS.length)]!;
    const frac = rng.int(this.bins) / (this.bins - 1);
    const sign = rng.next() < 0.5 ? -1 : 1;
    const lin = (lo: number, hi: number) => lo + (hi - lo) * frac;
    switch (op) {
      case "shearX": case "shearY": return { op, value: sign * this.shear * frac };
      case "rotate": return { op, value: sign * this.rotate * frac };
      case "translateX": case "translateY": {
        const [lo, hi] = this.translate;
        // symmetric range → signed magnitude; asymmetric range (e.g. −0.5..5) → a value drawn from it
        return { op, value: lo === -hi ? sign * hi * frac : lin(lo, hi) };
      }
      case "cutout": return { op, value: lin(this.cutoutRange[0], this.cutoutRange[1]) };
      default: return { op, value: 0 };
    }
  }
  apply(f: Frames, rng: Rng): Frames {
    const { op, value } = this.sample(rng);
    return applySpikformerOp(f, op, value, rng);
  }
}
