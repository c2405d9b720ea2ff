/**
 * One training step (forward + backward + SGD update) of a representative conv block on wasm and
 * on cpu in the same run (toolchain §7.2/§7.4): x [16,48,48,2] → conv3×3 64 'same' → batch-norm →
 * relu → avgPool 2×2 → dense 10, softmax cross-entropy. On wasm the filter gradient runs through
 * the composed `Conv2DBackpropFilter` of src/lib/backend/kernels/. Reports the median of several
 * runs after warm-up and the cpu/wasm ratio. `npx tsx bench/conv-train-step.ts` runs it.
 */
import { pathToFileURL } from "node:url";
import { currentBackend, tf, useBackend, type BackendRung } from "../src/lib/backend/index.js";
import { median } from "../src/lib/util/timing.js";

const SHAPE = [16, 48, 48, 2] as const;
const FILTERS = 64;
const CLASSES = 10;

async function timeStep(rung: BackendRung, warmup: number, runs: number): Promise<number> {
  await useBackend(rung, { log: false });
  const [B, H, W, C] = SHAPE;
  const x = tf.randomNormal([B, H, W, C], 0, 1, "float32", 1) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, i) => i % CLASSES), "int32"), CLASSES) as tf.Tensor2D;
  const w = tf.variable(tf.randomNormal([3, 3, C, FILTERS], 0, Math.sqrt(2 / (9 * C)), "float32", 2));
  const gamma = tf.variable(tf.ones([FILTERS]));
  const beta = tf.variable(tf.zeros([FILTERS]));
  const feat = (H / 2) * (W / 2) * FILTERS;
  const wo = tf.variable(tf.randomNormal([feat, CLASSES], 0, Math.sqrt(1 / feat), "float32", 3));
  const bo = tf.variable(tf.zeros([CLASSES]));
  const vars = [w, gamma, beta, wo, bo];
  const opt = tf.train.sgd(0.01);
  const step = () => {
    const loss = opt.minimize(() => tf.tidy(() => {
      const h = tf.conv2d(x, w as tf.Tensor4D, 1, "same");
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      const a = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-5)) as tf.Tensor4D;
      const p = tf.avgPool(a, 2, 2, "valid");
      const logits = tf.add(tf.matMul(tf.reshape(p, [B, feat]), wo as tf.Tensor2D), bo);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    }), true, vars)!;
    loss.dataSync(); // wait for the step
    loss.dispose();
  };
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    step();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  tf.dispose([x, y, ...vars]);
  opt.dispose();
  return median(times);
}

export async function benchConvTrainStep(): Promise<{ wasmMs: number; cpuMs: number; ratio: number }> {
  const before = currentBackend()?.rung;
  try {
    const wasmMs = await timeStep("wasm", 2, 7);
    const cpuMs = await timeStep("cpu", 1, 3);
    const ratio = cpuMs / wasmMs;
    console.log(`conv train step, x [${SHAPE}] → conv3x3 ${FILTERS} → BN → relu → avgPool → dense ${CLASSES}`);
    console.table([{ backend: "wasm", "median ms": +wasmMs.toFixed(1) }, { backend: "cpu", "median ms": +cpuMs.toFixed(1) }]);
    console.log(`cpu/wasm ratio: ${ratio.toFixed(1)}x`);
    return { wasmMs, cpuMs, ratio };
  } finally {
    if (before) await useBackend(before, { log: false });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchConvTrainStep();
}
