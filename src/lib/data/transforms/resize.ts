/**
 * Bilinear resize of `[T, C, H, W]` frames (papers §1.4: torchvision `Resize`, bilinear, on the float tensor).
 *
 * Without antialias (torch `interpolate(mode="bilinear", align_corners=False)`): output pixel i samples
 * `s = max(0, (i + 0.5)·in/out − 0.5)` with weights `(1 − (s − ⌊s⌋), s − ⌊s⌋)` on `⌊s⌋`, `min(⌊s⌋+1, in−1)`.
 * With antialias (`antialias=True`, set explicitly by amazing-cls `ResizeDVS`): when shrinking by
 * `scale = in/out > 1`, a triangle filter of half-width `scale` centred at `(i + 0.5)·scale` covers every
 * input pixel that falls under the output pixel, `w_j ∝ max(0, 1 − |j + 0.5 − c| / scale)`, normalised —
 * so thin structures are averaged instead of skipped. When enlarging it reduces to plain bilinear weights.
 * Both are separable (W pass, then H pass); a constant image stays constant.
 */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";
import { checkFrames, type FrameTransform } from "./types.js";

interface Taps { start: Int32Array; w: Float32Array; k: number }

function taps(inSize: number, outSize: number, antialias: boolean): Taps {
  const scale = inSize / outSize;
  if (!antialias) {
    const start = new Int32Array(outSize * 2);
    const w = new Float32Array(outSize * 2);
    for (let i = 0; i < outSize; i++) {
      const s = Math.max(0, (i + 0.5) * scale - 0.5);
      const i0 = Math.min(Math.floor(s), inSize - 1);
      const i1 = Math.min(i0 + 1, inSize - 1);
      const l = s - i0;
      start[2 * i] = i0; start[2 * i + 1] = i1;
      w[2 * i] = 1 - l; w[2 * i + 1] = l;
    }
    return { start, w, k: 2 };
  }
  const support = scale >= 1 ? scale : 1;
  const inv = scale >= 1 ? 1 / scale : 1;
  const k = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize * k);
  const w = new Float32Array(outSize * k);
  for (let i = 0; i < outSize; i++) {
    const c = scale * (i + 0.5);
    const lo = Math.max(Math.trunc(c - support + 0.5), 0);
    const hi = Math.min(Math.trunc(c + support + 0.5), inSize);
    let sum = 0;
    const ws: number[] = [];
    for (let j = lo; j < hi; j++) {
      const v = Math.max(0, 1 - Math.abs((j - c + 0.5) * inv));
      ws.push(v);
      sum += v;
    }
    for (let m = 0; m < k; m++) {
      start[i * k + m] = Math.min(lo + m, inSize - 1);
      w[i * k + m] = m < ws.length && sum > 0 ? ws[m]! / sum : 0;
    }
  }
  return { start, w, k };
}

/** Resize every `[H, W]` plane to `[outH, outW]`. */
export function resizeBilinear(f: Frames, outH: number, outW: number, opts: { antialias?: boolean } = {}): Frames {
  checkFrames(f, "resizeBilinear");
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH <= 0 || outW <= 0) {
    throw new Error(`resizeBilinear: output size must be positive integers, got ${outH}×${outW}`);
  }
  const [T, C, H, W] = f.shape;
  if (H === outH && W === outW) return { data: f.data.slice(), shape: [T, C, H, W] };
  const aa = opts.antialias ?? false;
  const tw = taps(W, outW, aa);
  const th = taps(H, outH, aa);
  const out = new Float32Array(T * C * outH * outW);
  const tmp = new Float32Array(H * outW);
  for (let pl = 0; pl < T * C; pl++) {
    const src = pl * H * W;
    for (let y = 0; y < H; y++) {
      for (let i = 0; i < outW; i++) {
        let s = 0;
        for (let m = 0; m < tw.k; m++) s += tw.w[i * tw.k + m]! * f.data[src + y * W + tw.start[i * tw.k + m]!]!;
        tmp[y * outW + i] = s;
      }
    }
    const dst = pl * outH * outW;
    for (let i = 0; i < outH; i++) {
      for (let x = 0; x < outW; x++) {
        let s = 0;
        for (let m = 0; m < th.k; m++) s += th.w[i * th.k + m]! * tmp[th.start[i * th.k + m]! * outW + x]!;
        out[dst + i * outW + x] = s;
      }
    }
  }
  return { data: out, shape: [T, C, outH, outW] };
}

/** `Resize(size)` — deterministic. */
export class Resize implements FrameTransform {
  constructor(readonly height: number, readonly width: number = height, readonly antialias = false) {}
  apply(f: Frames, _rng?: Rng): Frames {
    return resizeBilinear(f, this.height, this.width, { antialias: this.antialias });
  }
}
