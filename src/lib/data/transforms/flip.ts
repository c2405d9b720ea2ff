/** Horizontal flip of `[T, C, H, W]` frames: `out[..., y, x] = in[..., y, W − 1 − x]`. */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";
import { checkFrames, type FrameTransform } from "./types.js";

export function hflip(f: Frames): Frames {
  checkFrames(f, "hflip");
  const [T, C, H, W] = f.shape;
  const out = new Float32Array(f.data.length);
  for (let r = 0; r < T * C * H; r++) {
    const o = r * W;
    for (let x = 0; x < W; x++) out[o + x] = f.data[o + W - 1 - x]!;
  }
  return { data: out, shape: [T, C, H, W] };
}

/** `RandomHorizontalFlip(p)` — flips the whole sample (all T frames) with probability p. */
export class RandomHorizontalFlip implements FrameTransform {
  constructor(readonly p = 0.5) {
    if (!(p >= 0 && p <= 1)) throw new Error(`RandomHorizontalFlip: p must be in [0, 1], got ${p}`);
  }
  apply(f: Frames, rng: Rng): Frames {
    return rng.next() < this.p ? hflip(f) : f;
  }
}
