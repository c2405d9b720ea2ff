/** Tiny ImageNet-style fixtures: small valid JPEGs (jpeg-js) in `<root>/<split>/<wnid>/` folders. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeJpeg, type RgbImage } from "../../src/lib/data/formats/jpeg.js";

/** A smooth image whose colour encodes (class, index): R = 40·class + 20, G ramps along x, B = 10·index. */
export function fixtureImage(cls: number, k: number, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = 3 * (y * width + x);
    data[p] = 40 * cls + 20; data[p + 1] = Math.round((255 * x) / Math.max(1, width - 1)); data[p + 2] = (10 * k) % 256;
  }
  return { width, height, data };
}

export const FIXTURE_WNIDS = ["n01440764", "n01443537", "n01484850"];

/** Write `perClass` JPEGs per wnid into `<root>/<split>/<wnid>/`, sizes alternating landscape/portrait. */
export function writeImageNetFolder(root: string, split: "train" | "val", o: { wnids?: string[]; perClass: number; side?: number }): void {
  const side = o.side ?? 24;
  (o.wnids ?? FIXTURE_WNIDS).forEach((w, c) => {
    mkdirSync(join(root, split, w), { recursive: true });
    for (let k = 0; k < o.perClass; k++) {
      const [W, H] = k % 2 === 0 ? [side + 8, side] : [side, side + 6];
      writeFileSync(join(root, split, w, `${w}_${k + 1}.JPEG`), encodeJpeg(fixtureImage(c, k, W, H), 95));
    }
  });
}
