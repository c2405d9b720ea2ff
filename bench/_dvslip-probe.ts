import { initBackend } from "../src/lib/backend/index.js";
import { tf } from "../src/lib/backend/tf.js";
import { buildLipNet, lipSetting } from "../src/figures/mulfree/dvs-lip-task.js";
import { Adam } from "../src/lib/train/optimizers.js";
const scale = process.argv[2] as "smoke" | "small" | "paper";
const B = Number(process.argv[3] ?? 0);
await initBackend?.();
console.log(tf.getBackend());
const s = lipSetting(scale);
const b = B || s.batchSize;
const net = buildLipNet(s, 0);
const vars = net.parameters!().map((p) => p.variable);
const x = tf.randomUniform([s.T, b, 2, s.crop, s.crop], 0, 2, "float32", 1);
const y = tf.oneHot(tf.tensor1d(Array.from({ length: b }, (_, i) => i % s.words.length), "int32"), s.words.length);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => tf.losses.softmaxCrossEntropy(y, tf.mean(net.forward(x), 0))) as tf.Scalar, vars);
  value.dataSync();
  Object.values(grads).forEach((g) => g.dispose()); value.dispose();
  console.log(`${scale} B=${b} step ${r}: ${((performance.now() - t0) / 1000).toFixed(2)} s, mem ${(tf.memory().numBytes / 1e9).toFixed(2)} GB`);
}
