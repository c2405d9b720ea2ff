import { initBackend } from "../src/lib/backend/index.js";
import { tf } from "../src/lib/backend/tf.js";
import { Conv3d } from "../src/lib/layers/conv3d.js";
await initBackend();
const [T, B, H, C, O] = [16, 16, 44, 2, 16];
const conv = new Conv3d(C, O, [5, 7, 7], { stride: [1, 2, 2], padding: [2, 3, 3], bias: false });
const x = tf.randomUniform([T, B, H, H, C]);
// alternative: sum over 5 temporal taps of conv2d
const w = conv.weight;
const alt = (x: tf.Tensor) => tf.tidy(() => {
  const xp = tf.pad(x, [[2, 2], [0, 0], [0, 0], [0, 0], [0, 0]]);
  let acc: tf.Tensor | null = null;
  for (let dt = 0; dt < 5; dt++) {
    const sl = tf.reshape(tf.slice(xp, [dt, 0, 0, 0, 0], [T, B, H, H, C]), [T * B, H, H, C]) as tf.Tensor4D;
    const wk = tf.squeeze(tf.slice(w, [dt, 0, 0, 0, 0], [1, 7, 7, C, O]), [0]) as tf.Tensor4D;
    const y = tf.conv2d(tf.pad(sl, [[0, 0], [3, 3], [3, 3], [0, 0]]) as tf.Tensor4D, wk, 2, "valid");
    acc = acc ? tf.add(acc, y) : y;
  }
  return tf.reshape(acc!, [T, B, acc!.shape[1]!, acc!.shape[2]!, O]);
});
const a = conv.forward(x), b2 = alt(x);
console.log("maxdiff", tf.max(tf.abs(tf.sub(a, b2))).dataSync()[0]);
for (const [name, f] of [["conv3d", (z: tf.Tensor) => conv.forward(z)], ["sum-conv2d", alt]] as const) {
  for (let r = 0; r < 2; r++) {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.sum(f(x)) as tf.Scalar, [w]);
    value.dataSync(); Object.values(grads).forEach((g) => g.dispose());
    const t1 = performance.now();
    const y = f(x); y.dataSync(); y.dispose();
    console.log(name, "fwd+bwd", ((t1 - t0) / 1000).toFixed(2), "fwd", ((performance.now() - t1) / 1000).toFixed(2));
  }
}
