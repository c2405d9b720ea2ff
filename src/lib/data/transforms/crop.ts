/**
 * Crops (papers §2.4: `RandomCrop(size, padding=4)`): zero-pad every side by `padding`, then take a
 * `outH × outW` window whose top-left corner `(top, left)` is in padded coordinates:
 * `out[y][x] = in[y + top − padding][x + left − padding]` (0 outside the input).
 */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";
import { checkFrames, type FrameTransform } from "./types.js";

/** Pad-then-crop at a given corner. */
export function cropWithPadding(
  f: Frames, top: number, left: number, outH: number, outW: number, padding = 0,
): Frames {
  checkFrames(f, "cropWithPadding");
  const [T, C, H, W] = f.shape;
  if (outH > H + 2 * padding || outW > W + 2 * padding) {
    throw new Error(`cropWithPadding: crop ${outH}×${outW} exceeds the padded input ${H + 2 * padding}×${W + 2 * padding}`);
  }
  if (top < 0 || left < 0 || top + outH > H + 2 * padding || left + outW > W + 2 * padding) {
    throw new Error(`cropWithPadding: corner (top=${top}, left=${left}) puts the crop outside the padded input`);
  }
  const out = new Float32Array(T * C * outH * outW);
  for (let pl = 0; pl < T * C; pl++) {
    for (let y = 0; y < outH; y++) {
      const sy = y + top - padding;
      if (sy < 0 || sy >= H) continue;
      for (let x = 0; x < outW; x++) {
        const sx = x + left - padding;
        if (sx < 0 || sx >= W) continue;
        out[(pl * outH + y) * outW + x] = f.data[(pl * H + sy) * W + sx]!;
      }
    }
  }
  return { data: out, shape: [T, C, outH, outW] };
}

/** Centre crop (no padding). */
export function centerCrop(f: Frames, outH: number, outW: number = outH): Frames {
  const [, , H, W] = f.shape;
  return cropWithPadding(f, Math.floor((H - outH) / 2), Math.floor((W - outW) / 2), outH, outW, 0);
}

/** `RandomCrop(size, padding)`: corner uniform over all valid positions of the padded input. */
export class RandomCrop implements FrameTransform {
  constructor(readonly height: number, readonly width: number = height, readonly padding = 0) {}
  apply(f: Frames, rng: Rng): Frames {
    const [, , H, W] = f.shape;
    const top = rng.int(H + 2 * this.padding - this.height + 1);
    const left = rng.int(W + 2 * this.padding - this.width + 1);
    return cropWithPadding(f, top, left, this.height, this.width, this.padding);
  }
}

/** `CenterCrop(size)` — deterministic (evaluation crops). */
export class CenterCrop implements FrameTransform {
  constructor(readonly height: number, readonly width: number = height) {}
  apply(f: Frames, _rng?: Rng): Frames {
    return centerCrop(f, this.height, this.width);
  }
}
