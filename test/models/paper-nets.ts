// Every network of the three papers at a reduced width and size, with the neuron its paper trains it
// with, and one training step's loss and gradients read back asynchronously (no synchronous read, so
// the same step runs on webgpu). Shared by test/models/no-project-kernels.test.ts (cpu without any
// spikelab kernel) and test/webgpu/paper-nets.test.ts (webgpu vs cpu).
import { tf } from "../../src/lib/backend/tf.js";
import { disposeModule, leafModules, type Module } from "../../src/lib/layers/module.js";
import { DelaySnn } from "../../src/lib/models/delay-snn.js";
import { neuronFactory } from "../../src/lib/models/neuron-factories.js";
import { pixelCifarNet } from "../../src/lib/models/pixel-cifar.js";
import { resnet19 } from "../../src/lib/models/resnet19.js";
import { seqCifarNet } from "../../src/lib/models/seq-cifar.js";
import { sewResNet } from "../../src/lib/models/sew-resnet.js";
import { lipSpikingResNet18 } from "../../src/lib/models/spiking-resnet-lip.js";
import { dvsGestureNet, stateVgg11R48, vggMpe } from "../../src/lib/models/vgg.js";
import { IFNode } from "../../src/lib/neurons/if.js";
import { LegacyLIFNode } from "../../src/lib/neurons/legacy-lif.js";
import { collectMemLosses, MPEPSN } from "../../src/lib/neurons/mpe-psn.js";
import { atan, inverseQuadratic } from "../../src/lib/surrogate.js";

export interface PaperNet {
  name: string;
  build(): Module;
  /** Input shape (values: seeded uniform [0, 2), as event-frame counts). */
  input: number[];
  classes: number;
}

const mpe = (variant: "A" | "B") => {
  let layer = 0;
  return ({ T }: { T: number }) => new MPEPSN({ T, variant, seed: 100 + layer++ });
};

export const PAPER_NETS: PaperNet[] = [
  { name: "VGGMPE (MPE-PSN, CIFAR10-DVS 48²)", input: [2, 2, 2, 48, 48], classes: 10,
    build: () => vggMpe({ neuron: mpe("A"), T: 2, widthFactor: 1 / 16, seed: 1 }) },
  { name: "VGGMPE (legacy LIF, fused kernel)", input: [2, 2, 2, 48, 48], classes: 10,
    build: () => vggMpe({ neuron: () => new LegacyLIFNode(), T: 2, widthFactor: 1 / 16, seed: 2 }) },
  { name: "StateVGG11R48 (TEBN, legacy LIF with IMP)", input: [2, 2, 2, 48, 48], classes: 10,
    build: () => stateVgg11R48({ neuron: () => new LegacyLIFNode({ imp: true }), T: 2, widthFactor: 1 / 16, seed: 3 }) },
  { name: "DVSGestureNet (MPE-PSN B, 64²)", input: [2, 2, 2, 64, 64], classes: 11,
    build: () => dvsGestureNet({ neuron: mpe("B"), T: 2, channels: 4, inputSize: 64, seed: 4 }) },
  { name: "ResNet-19 (MPE-PSN, CIFAR10)", input: [2, 2, 32, 32, 3], classes: 10,
    build: () => resnet19({ neuron: mpe("A"), T: 2, widthFactor: 1 / 32, seed: 5 }) },
  { name: "SEW-ResNet-18 (IF with IMP)", input: [2, 2, 32, 32, 3], classes: 10,
    build: () => sewResNet({ depth: 18, T: 2, numClasses: 10, widthFactor: 1 / 16, seed: 6, neuron: () => new IFNode({ vReset: 0, surrogate: atan(2), imp: true }) }) },
  { name: "sequential-CIFAR net (mul-free PSN)", input: [32, 2, 32, 1, 3], classes: 10,
    build: () => seqCifarNet({ neuron: neuronFactory("mulfree-psn", { seed: 7 }), T: 32, numClasses: 10, channels: 4, seed: 7 }) },
  { name: "pixel-CIFAR net (PSN, fused kernel)", input: [16, 2, 3], classes: 10,
    build: () => pixelCifarNet({ neuron: neuronFactory("psn", { seed: 8 }), T: 16, numClasses: 10, widths: [8, 8], seed: 8 }) },
  { name: "Spiking ResNet-18 DVS-Lip (mul-free PSN, sawtooth)", input: [4, 2, 2, 32, 32], classes: 5,
    build: () => lipSpikingResNet18({ neuron: neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: inverseQuadratic(10), seed: 9 }), T: 4, numClasses: 5, widthFactor: 1 / 16, seed: 9 }) },
  { name: "SNN-delays (Dcls1d, mul-free PSN, SHD)", input: [12, 2, 8], classes: 4,
    build: () => new DelaySnn({ inputs: 8, hidden: 8, layers: 2, outputs: 4, kernelSize: 5, T: 12, neuron: neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: atan(5), seed: 10 }), seed: 10 }) },
];

export interface StepResult {
  loss: number;
  /** Trainable parameters in `parameters()` order: name and gradient values. */
  grads: Array<{ name: string; shape: number[]; values: Float32Array }>;
  /** Initial parameter values (to check both builds start equal). */
  params: Float32Array[];
}

/**
 * One training step of `net` on the current backend: cross-entropy of the time-mean output against
 * fixed labels (plus Σ L_mem of the MPE-PSN layers, as the paper's objective, so κ gets a gradient),
 * gradients of every trainable parameter. Everything is read with `await data()`.
 */
export async function paperNetStep(net: PaperNet): Promise<StepResult> {
  const model = net.build();
  try {
    const ps = (model.parameters?.() ?? []).filter((p) => p.variable.trainable);
    const mpeLayers = leafModules(model).map(([, m]) => m).filter((m): m is MPEPSN => m instanceof MPEPSN);
    const params = await Promise.all(ps.map(async (p) => (await p.variable.data()) as Float32Array));
    const B = net.input[1]!;
    const x = tf.randomUniform(net.input, 0, 2, "float32", 42);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, b) => b % net.classes), "int32"), net.classes);
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward!(x);
      const logits = out.rank === 3 ? tf.mean(out, 0) : out;
      const ce = tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      const mem = collectMemLosses(mpeLayers);
      return (mem.length ? tf.add(ce, tf.addN(mem)) : ce) as tf.Scalar;
    }, ps.map((p) => p.variable));
    const loss = (await value.data())[0]!;
    const list = await Promise.all(ps.map(async (p) => {
      const g = grads[p.variable.name]!;
      return { name: p.name, shape: g.shape, values: (await g.data()) as Float32Array };
    }));
    tf.dispose([x, y, value, ...Object.values(grads)]);
    return { loss, grads: list, params };
  } finally {
    (model as { reset?: () => void }).reset?.();
    disposeModule(model);
  }
}

/** Largest |a − b| over a tensor, and the largest |b| (the reference's scale). */
export function maxDiff(a: Float32Array, b: Float32Array): { diff: number; scale: number } {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return { diff, scale };
}

/**
 * Each gradient of `got` equals `want`'s: max |Δ| ≤ rtol·max |want| + atol (atol for gradients that
 * are analytically zero, e.g. a conv bias before training-mode BN, which come out as rounding noise).
 * Returns the failures as readable lines (empty when all agree).
 */
export function gradientMismatches(got: StepResult, want: StepResult, rtol: number, atol: number): string[] {
  const bad: string[] = [];
  if (got.grads.length !== want.grads.length) return [`${got.grads.length} gradients, expected ${want.grads.length}`];
  want.grads.forEach((w, i) => {
    const g = got.grads[i]!;
    if (g.name !== w.name || g.values.length !== w.values.length) { bad.push(`#${i}: ${g.name} [${g.shape}] vs ${w.name} [${w.shape}]`); return; }
    const { diff, scale } = maxDiff(g.values, w.values);
    if (!(diff <= rtol * scale + atol)) bad.push(`${w.name} [${w.shape}]: max |Δ| ${diff.toExponential(2)} > ${rtol}·${scale.toExponential(2)} + ${atol}`);
  });
  return bad;
}
