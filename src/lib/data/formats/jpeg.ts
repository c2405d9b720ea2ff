/**
 * JPEG decoding/encoding for static-image datasets (ImageNet), with the pure-JS `jpeg-js` codec: no native
 * build, identical output on every platform. A decoded image is a `Frames` of shape `[1, 3, H, W]`
 * (T = 1, RGB planes, values 0…255 as float32) so the frame transforms (resize, crop, flip) apply unchanged.
 *
 * Errors name the file and what was expected: a JPEG starts with the SOI marker `FF D8` (a PNG saved with a
 * `.JPEG` name, as one ImageNet training file is, fails here), and a file cut short fails in the codec's
 * marker scan ("marker was not found"); both become {@link ImageFileError}.
 */
import jpeg from "jpeg-js";
import type { Frames } from "../frames.js";

export class ImageFileError extends Error {
  override readonly name = "ImageFileError";
  constructor(readonly file: string, readonly expected: string, readonly found: string) {
    super(`${file}: expected ${expected}, found ${found}`);
  }
}

/** Interleaved 8-bit RGB, row-major `[H, W, 3]`. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Largest image accepted (megapixels); ImageNet's largest files are ~ 10 MP. */
const MAX_MP = 100;

/** Decode a baseline or progressive JPEG to interleaved RGB (grayscale is replicated to 3 channels). */
export function decodeJpeg(bytes: Uint8Array, file = "<bytes>"): RgbImage {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new ImageFileError(file, "a JPEG file (starting with the SOI marker ff d8)", bytes.length === 0 ? "an empty file" : `bytes ${head}${bytes[0] === 0x89 && bytes[1] === 0x50 ? " (a PNG file)" : ""}`);
  }
  let out: { width: number; height: number; data: Uint8Array };
  try {
    out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_MP, maxMemoryUsageInMB: 2048 });
  } catch (e) {
    throw new ImageFileError(file, "a complete baseline/progressive JPEG", `a corrupt or truncated stream (${(e as Error).message})`);
  }
  if (out.data.length !== out.width * out.height * 3) {
    throw new ImageFileError(file, `${out.width}×${out.height}×3 RGB bytes after decoding`, `${out.data.length}`);
  }
  return out;
}

/** Encode interleaved RGB as a JPEG of the given quality (fixtures, tests). */
export function encodeJpeg(img: RgbImage, quality = 90): Uint8Array {
  const n = img.width * img.height;
  if (img.data.length !== n * 3) throw new Error(`encodeJpeg: ${img.width}×${img.height} needs ${n * 3} RGB bytes, got ${img.data.length}`);
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    rgba[4 * i] = img.data[3 * i]!;
    rgba[4 * i + 1] = img.data[3 * i + 1]!;
    rgba[4 * i + 2] = img.data[3 * i + 2]!;
    rgba[4 * i + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data);
}

/** Interleaved `[H, W, 3]` bytes → planar `[1, 3, H, W]` float frames (0…255). */
export function rgbToFrames(img: RgbImage): Frames {
  const { width: W, height: H } = img;
  const n = W * H;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    data[i] = img.data[3 * i]!;
    data[n + i] = img.data[3 * i + 1]!;
    data[2 * n + i] = img.data[3 * i + 2]!;
  }
  return { data, shape: [1, 3, H, W] };
}

/** Planar `[1, 3, H, W]` frames → interleaved 8-bit RGB, rounding and clamping to 0…255. */
export function framesToRgb(f: Frames): RgbImage {
  const [T, C, H, W] = f.shape;
  if (T !== 1 || C !== 3) throw new Error(`framesToRgb: expected [1, 3, H, W], got [${f.shape}]`);
  const n = W * H;
  const data = new Uint8Array(3 * n);
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) data[3 * i + c] = Math.min(255, Math.max(0, Math.round(f.data[c * n + i]!)));
  return { width: W, height: H, data };
}
