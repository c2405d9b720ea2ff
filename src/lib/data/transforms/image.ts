/**
 * Static-image transforms of the ImageNet recipe (papers.md §3.4, IMP-SNN `in1k/LTS`): train
 * `RandomResizedCrop(224) + RandomHorizontalFlip`, test `Resize(256) + CenterCrop(224)`, then
 * `Normalize(mean, std)`. Images are `Frames` `[1, 3, H, W]` (see `formats/jpeg.ts`), values 0…255.
 *
 * RandomResizedCrop(size, scale = (0.08, 1), ratio = (3/4, 4/3)) — torchvision's rule, re-derived here:
 * up to 10 attempts draw a target area `A·s`, s ~ U(scale), and an aspect `r = exp(U(ln ratio))`;
 * `w = round(√(A·s·r))`, `h = round(√(A·s/r))`; the first attempt with `0 < w ≤ W` and `0 < h ≤ H` places
 * the crop uniformly (`top ~ U{0…H−h}`, `left ~ U{0…W−w}`). If all 10 fail, the fallback is a central crop
 * of the whole image clamped to the ratio range (aspect W/H below the range → full width, `h = round(W/r_min)`;
 * above → full height, `w = round(H·r_max)`). `round` is Python's (half to even). The crop is resized to
 * `size × size` bilinearly with antialiasing (torchvision on PIL images / `antialias=True`).
 *
 * Eval: `Resize(s)` scales the shorter side to s and the longer to `⌊s·long/short⌋` (torchvision's
 * truncation); `CenterCrop(c)` takes the window at `round((H − c)/2)`, `round((W − c)/2)`. For crops other
 * than 224 the resize side generalises torchvision's 256/224 as `round(c·256/224)` (64 → 73).
 */
import type { Rng } from "../../util/random.js";
import type { Frames } from "../frames.js";
import { cropWithPadding } from "./crop.js";
import { resizeBilinear } from "./resize.js";
import { checkFrames, type FrameTransform } from "./types.js";

/** ImageNet channel statistics on the 0…1 scale (the values torchvision's pretrained models use). */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** Python 3 `round`: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface CropBox { top: number; left: number; height: number; width: number }

export interface RrcOptions {
  scale?: readonly [number, number];
  ratio?: readonly [number, number];
}

/** The crop box of RandomResizedCrop for an `H × W` image (see the module comment). */
export function randomResizedCropBox(H: number, W: number, rng: Rng, o: RrcOptions = {}): CropBox {
  const [s0, s1] = o.scale ?? [0.08, 1];
  const [r0, r1] = o.ratio ?? [3 / 4, 4 / 3];
  if (!(s0 > 0 && s0 <= s1 && r0 > 0 && r0 <= r1)) throw new Error(`randomResizedCropBox: need 0 < scale[0] ≤ scale[1] and 0 < ratio[0] ≤ ratio[1], got scale [${s0}, ${s1}], ratio [${r0}, ${r1}]`);
  const area = H * W;
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(s0, s1);
    const aspect = Math.exp(rng.uniform(Math.log(r0), Math.log(r1)));
    const w = roundHalfEven(Math.sqrt(target * aspect));
    const h = roundHalfEven(Math.sqrt(target / aspect));
    if (w > 0 && w <= W && h > 0 && h <= H) return { top: rng.int(H - h + 1), left: rng.int(W - w + 1), height: h, width: w };
  }
  return centralFallbackBox(H, W, r0, r1);
}

/** The fallback of RandomResizedCrop: the whole image, clamped to the aspect range, centred. */
export function centralFallbackBox(H: number, W: number, r0: number, r1: number): CropBox {
  const inRatio = W / H;
  let w = W, h = H;
  if (inRatio < r0) h = roundHalfEven(w / r0);
  else if (inRatio > r1) w = roundHalfEven(h * r1);
  return { top: Math.floor((H - h) / 2), left: Math.floor((W - w) / 2), height: h, width: w };
}

/** Crop `box` and resize it to `outH × outW` (bilinear, antialiased). */
export function resizedCrop(f: Frames, box: CropBox, outH: number, outW: number = outH): Frames {
  checkFrames(f, "resizedCrop");
  const c = cropWithPadding(f, box.top, box.left, box.height, box.width, 0);
  return resizeBilinear(c, outH, outW, { antialias: true });
}

/** Output size of `Resize(side)` on an `H × W` image: shorter side → side, longer ⌊side·long/short⌋. */
export function shorterSideSize(H: number, W: number, side: number): [number, number] {
  if (H <= W) return [side, Math.floor((side * W) / H)];
  return [Math.floor((side * H) / W), side];
}

/** `Resize(side)` with an integer: scale the shorter side to `side`, keep the aspect (antialiased bilinear). */
export function resizeShorter(f: Frames, side: number): Frames {
  const [, , H, W] = f.shape;
  const [oh, ow] = shorterSideSize(H, W, side);
  return resizeBilinear(f, oh, ow, { antialias: true });
}

/** torchvision `CenterCrop(size)`: window at `round((H − size)/2)`, `round((W − size)/2)`. */
export function centerCropRounded(f: Frames, size: number): Frames {
  const [, , H, W] = f.shape;
  if (size > H || size > W) throw new Error(`centerCropRounded: crop ${size} exceeds the ${H}×${W} image`);
  return cropWithPadding(f, roundHalfEven((H - size) / 2), roundHalfEven((W - size) / 2), size, size, 0);
}

/** The eval resize side for a crop: torchvision's 256 for 224, generalised as round(crop·256/224). */
export function evalResizeSide(crop: number): number {
  return Math.round((crop * 256) / 224);
}

/** `(x/255 − mean_c)/std_c` per channel of `[T, 3, H, W]` frames holding 0…255 values. */
export function normalizeImage(f: Frames, mean: readonly number[] = IMAGENET_MEAN, std: readonly number[] = IMAGENET_STD): Frames {
  checkFrames(f, "normalizeImage");
  const [T, C, H, W] = f.shape;
  if (mean.length !== C || std.length !== C) throw new Error(`normalizeImage: ${C} channels need ${C} means/stds, got ${mean.length}/${std.length}`);
  const out = new Float32Array(f.data.length);
  const plane = H * W;
  for (let p = 0; p < T * C; p++) {
    const c = p % C, m = mean[c]!, s = std[c]!;
    for (let i = p * plane; i < (p + 1) * plane; i++) out[i] = (f.data[i]! / 255 - m) / s;
  }
  return { data: out, shape: [T, C, H, W] };
}

export class RandomResizedCrop implements FrameTransform {
  constructor(readonly size: number, readonly opts: RrcOptions = {}) {}
  apply(f: Frames, rng: Rng): Frames {
    return resizedCrop(f, randomResizedCropBox(f.shape[2], f.shape[3], rng, this.opts), this.size);
  }
}

/** Test-time `Resize(round(crop·256/224)) + CenterCrop(crop)` (deterministic). */
export class ResizeCenterCrop implements FrameTransform {
  constructor(readonly crop: number, readonly resizeSide = evalResizeSide(crop)) {}
  apply(f: Frames, _rng?: Rng): Frames {
    return centerCropRounded(resizeShorter(f, this.resizeSide), this.crop);
  }
}

/** ImageNet normalisation (deterministic). */
export class NormalizeImage implements FrameTransform {
  constructor(readonly mean: readonly number[] = IMAGENET_MEAN, readonly std: readonly number[] = IMAGENET_STD) {}
  apply(f: Frames, _rng?: Rng): Frames {
    return normalizeImage(f, this.mean, this.std);
  }
}
