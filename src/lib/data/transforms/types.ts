/**
 * Frame transforms: each is a pure function on `Frames` (`[T, C, H, W]` float32) plus a small class
 * implementing {@link FrameTransform}. Random ones draw every parameter from the `Rng` passed to
 * `apply`, so a sample's augmentation is reproducible from (seed, epoch, index); one draw is shared by
 * all T frames of a sample, as torchvision transforms on a `[T, C, H, W]` tensor do.
 */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";

export interface FrameTransform {
  apply(f: Frames, rng: Rng): Frames;
}

/** Apply transforms in order. */
export class Compose implements FrameTransform {
  constructor(readonly transforms: readonly FrameTransform[]) {}
  apply(f: Frames, rng: Rng): Frames {
    let out = f;
    for (const t of this.transforms) out = t.apply(out, rng);
    return out;
  }
}

export function checkFrames(f: Frames, who: string): void {
  const [T, C, H, W] = f.shape;
  if (f.data.length !== T * C * H * W) {
    throw new Error(`${who}: frames data has ${f.data.length} values, expected T·C·H·W = ${T}·${C}·${H}·${W}`);
  }
}
