/**
 * Synthetic SHD-layout data for the smoke scale and for timing runs at the real size (issue #19): per class c a
 * frequency sweep — spikes whose channel moves linearly in time from a class-dependent start channel with a
 * class-dependent slope — plus uniform background spikes. Classes differ in *when* channels fire, which is what
 * learnable delays exploit. Written through {@link writeShdFile}, read back through the same reader as SHD.
 */
import { Rng } from "../util/random.js";
import { SHD_CHANNELS, SHD_CLASSES, writeShdFile, type ChannelEvents } from "./datasets/shd.js";

export interface SyntheticShdOptions {
  samplesPerClass: number;
  /** Sweep spikes per sample (background adds 10 % more). */
  spikesPerSample: number;
  seed: number;
  /** Sample duration range in seconds (SHD: up to ≈ 1.4 s). */
  duration?: [number, number];
}

export function syntheticShdSamples(o: SyntheticShdOptions): { samples: ChannelEvents[]; labels: Int32Array; speakers: Int32Array } {
  const rng = new Rng(o.seed);
  const [dLo, dHi] = o.duration ?? [0.5, 1.0];
  const samples: ChannelEvents[] = [];
  const labels: number[] = [];
  for (let k = 0; k < o.samplesPerClass; k++) {
    for (let c = 0; c < SHD_CLASSES; c++) {
      const dur = rng.uniform(dLo, dHi);
      const start = 30 + 32 * c, slope = (c % 2 ? 1 : -1) * (150 + 20 * (c % 5)); // channels per second
      const n = o.spikesPerSample, bg = Math.round(0.1 * n);
      const raw: [number, number][] = [];
      for (let i = 0; i < n; i++) {
        const t = rng.uniform(0, dur);
        const u = Math.round(start + slope * t + 4 * rng.normal());
        raw.push([t, ((u % SHD_CHANNELS) + SHD_CHANNELS) % SHD_CHANNELS]);
      }
      for (let i = 0; i < bg; i++) raw.push([rng.uniform(0, dur), rng.int(SHD_CHANNELS)]);
      raw.sort((a, b) => a[0] - b[0]);
      samples.push({ times: Float32Array.from(raw, (r) => r[0]), units: Int32Array.from(raw, (r) => r[1]) });
      labels.push(c);
    }
  }
  return { samples, labels: Int32Array.from(labels), speakers: Int32Array.from(labels, (_, i) => i % 10) };
}

/** Write `shd_train.h5` and `shd_test.h5` of synthetic data into `dir` (float16 times, like the real files). */
export async function generateSyntheticShd(dir: string, o: { train: SyntheticShdOptions; test: SyntheticShdOptions }): Promise<void> {
  for (const [name, opts] of [["shd_train.h5", o.train], ["shd_test.h5", o.test]] as const) {
    const s = syntheticShdSamples(opts);
    await writeShdFile(`${dir}/${name}`, s);
  }
}
