/**
 * `npm run bench -- --only shd [--batches N]`: wall time of one paper-scale SHD epoch of mul-free Table 2
 * (issue #19) on this machine, on synthetic SHD-layout files of the real size (8 156 train / 2 264 test samples,
 * 700 channels, `--spikes` spikes per sample), so it runs without the dataset.
 *
 * Per arm (ours = mul-free PSN, lif-delay = SNN-delays' LIF): `--batches` training steps of batch 128 (paper network,
 * augmentation on) after one warm-up step, the median step × 64 batches/epoch, plus the measured evaluation of the
 * whole test set. Small and paper scale share the network and data size, so this is the epoch time of both.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { SUMMED_SOFTMAX, shdData, shdSetting, shdSources, trainShd, type ShdArm } from "../src/figures/mulfree/shd-task.js";
import { generateSyntheticShd } from "../src/lib/data/synthetic-shd.js";
import { evaluate } from "../src/lib/train/trainer.js";
import { disposeModel } from "../src/figures/mulfree/seq-task.js";
import { median } from "../src/lib/util/timing.js";
import { writeFileAtomic } from "../src/lib/util/fs.js";

export async function benchShdEpoch(o: { batches: number; spikes: number; arms: ShdArm[]; dir?: string }): Promise<Record<string, unknown>> {
  const dir = o.dir ?? join("reports", "bench", `shd-synthetic-${o.spikes}`);
  const root = join(dir, "files");
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  if (!existsSync(join(root, "shd_test.h5"))) {
    await generateSyntheticShd(root, {
      train: { samplesPerClass: Math.ceil(8156 / 20), spikesPerSample: o.spikes, seed: 1, duration: [0.6, 1.4] },
      test: { samplesPerClass: Math.ceil(2264 / 20), spikesPerSample: o.spikes, seed: 2, duration: [0.6, 1.4] },
    });
  }
  const s = shdSetting("paper");
  const data = await shdData(s, { outDir: dir }, { root });
  const prepS = (performance.now() - t0) / 1000;
  const out: Record<string, unknown> = { samples: { train: data.train.samples.length, test: data.test.samples.length }, spikesPerSample: o.spikes, prepS };
  for (const arm of o.arms) {
    const steps: number[] = [];
    let last = performance.now();
    const r = await trainShd(s, arm, 0, data, { maxBatches: o.batches + 1, evaluateEachEpoch: false, epochs: 1, onStep: () => { const now = performance.now(); steps.push((now - last) / 1000); last = now; } });
    const stepS = median(steps.slice(1));
    const src = shdSources(s, data, 0);
    const te0 = performance.now();
    await evaluate(r.model, SUMMED_SOFTMAX, src.test);
    const evalS = (performance.now() - te0) / 1000;
    const perEpoch = stepS * src.train.batchesPerEpoch();
    out[arm] = { stepS, steps: steps.length - 1, batchesPerEpoch: src.train.batchesPerEpoch(), trainEpochS: perEpoch, evalS, epochS: perEpoch + evalS, paper150x3H: (3 * 150 * (perEpoch + evalS)) / 3600 };
    console.log(`${arm}: median step ${stepS.toFixed(2)} s over ${steps.length - 1} steps → train epoch ${(perEpoch / 60).toFixed(1)} min + test ${evalS.toFixed(0)} s; paper (150 epochs × 3 seeds) ≈ ${((3 * 150 * (perEpoch + evalS)) / 3600).toFixed(0)} h`);
    disposeModel(r.model);
  }
  await writeFileAtomic(join(dir, "shd-epoch.json"), JSON.stringify(out, null, 1));
  return out;
}
