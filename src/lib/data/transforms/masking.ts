/**
 * Masking and zoom augmentations of the mul-free paper's DVS-Lip recipe (papers.md §4.4, Table 8: spatial
 * mask (4, ≤ 20), zoom in/out p 0.5 max 26, temporal mask (6, ≤ 18)), on `[T, C, H, W]` frames. The paper
 * gives only these numbers; our reading (decision in docs/DECISIONS.md, issue #19):
 *
 * - spatial mask (n, s): n squares of side ℓ ~ U{1..s}, corner uniform inside the frame, zeroed in every
 *   frame and channel (one draw per sample, like every transform here);
 * - temporal mask (n, L): n runs of ℓ ~ U{1..L} consecutive frames, start uniform, zeroed;
 * - zoom (p, m): with probability p, the frames are resized by δ ~ U{−m..m} pixels (H + δ, bilinear) and
 *   centre-cropped (δ > 0, zoom in) or zero-padded around the centre (δ < 0, zoom out) back to H × W.
 *
 * Each is a pure function of the frames and its drawn parameters plus a small `FrameTransform` drawing
 * them from the sample's `Rng`.
 */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";
import { cropWithPadding } from "./crop.js";
import { resizeBilinear } from "./resize.js";
import { checkFrames, type FrameTransform } from "./types.js";

export interface MaskBox { top: number; left: number; size: number }

/** Zero the squares `boxes` (clipped to the frame) in every frame and channel. */
export function spatialMask(f: Frames, boxes: readonly MaskBox[]): Frames {
  checkFrames(f, "spatialMask");
  const [T, C, H, W] = f.shape;
  const out = f.data.slice();
  for (const b of boxes) {
    const y1 = Math.min(H, b.top + b.size), x1 = Math.min(W, b.left + b.size);
    for (let pl = 0; pl < T * C; pl++) {
      for (let y = Math.max(0, b.top); y < y1; y++) out.fill(0, (pl * H + y) * W + Math.max(0, b.left), (pl * H + y) * W + x1);
    }
  }
  return { data: out, shape: [T, C, H, W] };
}

export interface MaskRun { start: number; length: number }

/** Zero the frames of each run `[start, start + length)` (clipped to T). */
export function temporalMask(f: Frames, runs: readonly MaskRun[]): Frames {
  checkFrames(f, "temporalMask");
  const [T, C, H, W] = f.shape;
  const plane = C * H * W;
  const out = f.data.slice();
  for (const r of runs) out.fill(0, Math.max(0, r.start) * plane, Math.min(T, r.start + r.length) * plane);
  return { data: out, shape: [T, C, H, W] };
}

/** Resize by `delta` pixels (bilinear), then centre-crop or zero-pad back to the input size. */
export function zoom(f: Frames, delta: number): Frames {
  checkFrames(f, "zoom");
  const [, , H, W] = f.shape;
  if (delta === 0) return { data: f.data.slice(), shape: f.shape };
  const h = H + delta, w = W + delta;
  if (h <= 0 || w <= 0) throw new Error(`zoom: delta ${delta} leaves no image (${H}×${W})`);
  const r = resizeBilinear(f, h, w);
  // Same corner rule for both directions: in padded coordinates, the crop starts at ⌊(h' − H)/2⌋.
  const pad = delta < 0 ? Math.ceil(-delta / 2) : 0;
  const top = Math.floor((h + 2 * pad - H) / 2), left = Math.floor((w + 2 * pad - W) / 2);
  return cropWithPadding(r, top, left, H, W, pad);
}

function checkCount(who: string, n: number, max: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${who}: count must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(max) || max < 1) throw new Error(`${who}: maximum size must be a positive integer, got ${max}`);
}

/** Spatial mask (n, maxSize): Table 8's (4, ≤ 20). */
export class RandomSpatialMask implements FrameTransform {
  constructor(readonly count = 4, readonly maxSize = 20) { checkCount("RandomSpatialMask", count, maxSize); }
  apply(f: Frames, rng: Rng): Frames {
    const [, , H, W] = f.shape;
    const boxes: MaskBox[] = [];
    for (let i = 0; i < this.count; i++) {
      const size = 1 + rng.int(Math.min(this.maxSize, H, W));
      boxes.push({ size, top: rng.int(H - size + 1), left: rng.int(W - size + 1) });
    }
    return spatialMask(f, boxes);
  }
}

/** Temporal mask (n, maxLength): Table 8's (6, ≤ 18). */
export class RandomTemporalMask implements FrameTransform {
  constructor(readonly count = 6, readonly maxLength = 18) { checkCount("RandomTemporalMask", count, maxLength); }
  apply(f: Frames, rng: Rng): Frames {
    const T = f.shape[0];
    const runs: MaskRun[] = [];
    for (let i = 0; i < this.count; i++) {
      const length = 1 + rng.int(Math.min(this.maxLength, T));
      runs.push({ length, start: rng.int(T - length + 1) });
    }
    return temporalMask(f, runs);
  }
}

/** Zoom in/out with probability p by up to `max` pixels: Table 8's (0.5, 26). */
export class RandomZoom implements FrameTransform {
  constructor(readonly p = 0.5, readonly max = 26) {
    if (!(p >= 0 && p <= 1)) throw new Error(`RandomZoom: p must be in [0, 1], got ${p}`);
    if (!Number.isInteger(max) || max < 0) throw new Error(`RandomZoom: max must be a non-negative integer, got ${max}`);
  }
  apply(f: Frames, rng: Rng): Frames {
    if (rng.next() >= this.p) return f;
    const [, , H, W] = f.shape;
    const m = Math.min(this.max, H - 1, W - 1);
    return zoom(f, rng.int(2 * m + 1) - m);
  }
}
