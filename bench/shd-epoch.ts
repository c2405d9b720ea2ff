/**
 * `npm run bench -- --only shd [--batches N]`: wall time of one paper-scale SHD epoch of mul-free Table 2
 * (issue #19) on this machine, on synthetic SHD-layout files of the real size (8 156 train / 2 264 test samples,
 * 700 channels, `--spikes` spikes per sample), so it runs without the dataset.
 *
 * Per arm (ours = mul-free PSN, lif-delay = SNN-delays' LIF): `--batches` training steps of batch 128 (paper network,
 * augmentation on) after one warm-up step, the median step × 63 batches/epoch, plus the measured evaluation of the
 * whole test set, in wall and in process CPU seconds. Small and paper scale share the network and data size, so this
 * is the epoch time of both.
 */
import { existsSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { SUMMED_SOFTMAX, shdData, shdSetting, shdSources, trainShd, type ShdArm } from "../src/figures/mulfree/shd-task.js";
import { generateSyntheticShd } from "../src/lib/data/synthetic-shd.js";
import { evaluate } from "../src/lib/train/trainer.js";
import { disposeModule } from "../src/lib/layers/module.js";
import { median } from "../src/lib/util/timing.js";
import { writeFileAtomic } from "../src/lib/util/fs.js";

const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

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
  const data = await shdData(s, { sharedDir: (n) => join(dir, n) }, { root });
  const prepS = (performance.now() - t0) / 1000;
  console.log(`synthetic SHD-size data ready in ${prepS.toFixed(0)} s`);
  const out: Record<string, unknown> = { samples: { train: data.train.samples.length, test: data.test.samples.length }, spikesPerSample: o.spikes, prepS };
  for (const arm of o.arms) {
    // Wall and CPU seconds per step: the wasm backend runs on one thread, so on an idle machine wall ≈ CPU; on a
    // shared one CPU time is the better estimate of what the step costs (both are reported, with the load).
    const wall: number[] = [], cpu: number[] = [];
    let lastW = performance.now(), lastC = cpuSeconds();
    const r = await trainShd(s, arm, 0, data, {
      maxBatches: o.batches + 1, evaluateEachEpoch: false, epochs: 1, workers: 1, // one thread: the per-step CPU seconds below are the step's
      onStep: () => {
        const w = performance.now(), c = cpuSeconds();
        wall.push((w - lastW) / 1000); cpu.push(c - lastC);
        console.log(`${arm} step ${wall.length}: wall ${wall.at(-1)!.toFixed(1)} s, cpu ${cpu.at(-1)!.toFixed(1)} s (load ${loadavg()[0]!.toFixed(1)})`);
        lastW = w; lastC = c;
      },
    });
    const stepWall = median(wall.slice(1)), stepCpu = median(cpu.slice(1));
    const src = shdSources(s, data, 0);
    const te0 = performance.now(), tc0 = cpuSeconds();
    await evaluate(r.model, SUMMED_SOFTMAX, src.test);
    const evalWall = (performance.now() - te0) / 1000, evalCpu = cpuSeconds() - tc0;
    const nb = src.train.batchesPerEpoch();
    const epoch = { wallS: stepWall * nb + evalWall, cpuS: stepCpu * nb + evalCpu };
    out[arm] = { steps: wall.length - 1, batchesPerEpoch: nb, stepWallS: stepWall, stepCpuS: stepCpu, evalWallS: evalWall, evalCpuS: evalCpu, epoch, load: loadavg() };
    console.log(`${arm}: median step wall ${stepWall.toFixed(1)} s / cpu ${stepCpu.toFixed(1)} s over ${wall.length - 1} steps; test set wall ${evalWall.toFixed(0)} s / cpu ${evalCpu.toFixed(0)} s → ` +
      `epoch (${nb} batches + test) wall ${(epoch.wallS / 60).toFixed(1)} min, cpu ${(epoch.cpuS / 60).toFixed(1)} min; paper (150 epochs × 3 seeds) ≈ ${((450 * epoch.cpuS) / 86400).toFixed(1)} days at the CPU time`);
    disposeModule(r.model);
  }
  await writeFileAtomic(join(dir, "shd-epoch.json"), JSON.stringify(out, null, 1));
  return out;
}
