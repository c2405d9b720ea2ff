/**
 * Synthetic CIFAR-10/100 written as **real binary batch files** (the publisher's layout, `datasets/cifar.ts`),
 * so the sequential-CIFAR pipeline (fetch layout → decode → sequences → training) runs end to end in tests
 * and smoke reproductions without the 160 MB downloads.
 *
 * Class c is an oriented colour grating: orientation θ = π·(c mod 10)/10, spatial frequency
 * f = 1.5 + ⌊c/10⌋ mod 5 cycles per image, colour weights rotated by ⌊c/10⌋ (CIFAR-100 needs all 100
 * combinations); each sample draws a random phase, contrast 0.3–0.5 and Gaussian pixel noise σ = 0.08.
 * Orientation is visible column by column, so the classes are learnable by the seq-CIFAR network.
 */
import { Rng } from "../util/random.js";
import { CIFAR_PIXELS, CIFAR_SIDE, CIFAR_VARIANTS, writeCifarFolder, type CifarSet, type CifarVariant } from "./datasets/cifar.js";

export interface SyntheticCifarOptions {
  trainPerClass?: number;
  testPerClass?: number;
  seed?: number;
}

/** One sample of class `cls`, channel-planar uint8 `[3, 32, 32]`. */
export function gratingImage(cls: number, rng: Rng): Uint8Array {
  const theta = (Math.PI * (cls % 10)) / 10;
  const group = Math.floor(cls / 10);
  const freq = 1.5 + (group % 5);
  const colour = [0, 1, 2].map((c) => 0.4 + 0.6 * Math.abs(Math.cos((Math.PI * (c + group)) / 3)));
  const phase = rng.uniform(0, 2 * Math.PI);
  const contrast = rng.uniform(0.3, 0.5);
  const img = new Uint8Array(CIFAR_PIXELS);
  const k = (2 * Math.PI * freq) / CIFAR_SIDE;
  for (let r = 0; r < CIFAR_SIDE; r++) {
    for (let col = 0; col < CIFAR_SIDE; col++) {
      const wave = Math.sin(k * (col * Math.cos(theta) + r * Math.sin(theta)) + phase);
      for (let c = 0; c < 3; c++) {
        const v = 0.5 + contrast * colour[c]! * wave + 0.08 * rng.normal();
        img[c * 1024 + r * CIFAR_SIDE + col] = Math.max(0, Math.min(255, Math.round(v * 255)));
      }
    }
  }
  return img;
}

function synthSet(variant: CifarVariant, perClass: number, rng: Rng): CifarSet {
  const K = CIFAR_VARIANTS[variant].classes;
  const n = K * perClass;
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % K;
    images.set(gratingImage(i % K, rng), i * CIFAR_PIXELS);
  }
  return { variant, images, labels, ...(variant === "cifar100" ? { coarse: labels.map((y) => Math.floor(y / 5)) } : {}) };
}

/** Write a synthetic dataset into `root` in the official folder layout; returns the sample counts. */
export async function generateSyntheticCifar(root: string, variant: CifarVariant, o: SyntheticCifarOptions = {}): Promise<{ train: number; test: number }> {
  const rng = new Rng(o.seed ?? 5);
  const train = synthSet(variant, o.trainPerClass ?? 20, rng);
  const test = synthSet(variant, o.testPerClass ?? 5, rng);
  await writeCifarFolder(root, train, test);
  return { train: train.labels.length, test: test.labels.length };
}
