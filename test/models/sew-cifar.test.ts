import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { BatchNorm } from "../../src/lib/layers/norm.js";
import { countParameters, Named, sewResNet, sewResNetCifar, type NeuronFactory } from "../../src/lib/models/index.js";
import { IFNode } from "../../src/lib/neurons/if.js";
import { atan } from "../../src/lib/surrogate.js";

const ifNeuron: NeuronFactory = () => new IFNode({ vReset: 0, surrogate: atan(2) });
const dispose = (net: Named) => {
  net.parameters().forEach((p) => p.variable.dispose());
  net.buffers().forEach((b) => b.variable.dispose());
};

/**
 * ResNet-18 for 32² inputs, counted by hand: stem conv 3×3 (3 → c₀, no bias) + BN; stage i has width
 * cᵢ = 64·2^i and two BasicBlocks of two 3×3 convs + BN each; stages 2–4 open with a 1×1 downsample conv + BN;
 * GAP + Linear(c₃, K). A conv k×k has k²·cin·cout weights, a BN 2·c (γ, β).
 */
function resNet18CifarParams(widths: number[], K: number): number {
  const conv = (cin: number, cout: number, k: number) => k * k * cin * cout;
  const bn = (c: number) => 2 * c;
  let n = conv(3, widths[0]!, 3) + bn(widths[0]!);
  let cin = widths[0]!;
  widths.forEach((c, i) => {
    n += conv(cin, c, 3) + bn(c) + conv(c, c, 3) + bn(c) + (i > 0 ? conv(cin, c, 1) + bn(c) : 0);
    n += 2 * (conv(c, c, 3) + bn(c));
    cin = c;
  });
  return n + cin * K + K;
}

describe("SEW-ResNet-18 for CIFAR (the IMP repo's SEWResNetCifar)", () => {
  it("has ResNet-18-CIFAR's parameter count: 11,173,962 at 10 classes, and the hand formula at reduced width", () => {
    expect(resNet18CifarParams([64, 128, 256, 512], 10)).toBe(11_173_962);
    const full = sewResNetCifar({ neuron: ifNeuron, T: 1 });
    expect(countParameters(full)).toBe(11_173_962);
    dispose(full);
    const quarter = sewResNetCifar({ neuron: ifNeuron, T: 1, widthFactor: 0.25, numClasses: 7 });
    expect(countParameters(quarter)).toBe(resNet18CifarParams([16, 32, 64, 128], 7));
    dispose(quarter);
  });

  it("keeps sewResNet's ImageNet network unchanged (stem 7×7/2 + pooling, γ = 1 everywhere)", () => {
    const net = sewResNet({ depth: 18, neuron: ifNeuron, T: 1 });
    expect(net.children.map(([n]) => n).slice(0, 4)).toEqual(["conv1", "bn1", "sn1", "pool"]);
    const gammas = net.parameters().filter((p) => p.group === "norm" && p.name.endsWith("weight"));
    expect(Math.min(...gammas.map((p) => tf.min(p.variable).dataSync()[0]!))).toBe(1);
    dispose(net);
  });

  it("maps [T, B, 32, 32, 3] to [T, B, K]; the stem keeps 32² (no pooling)", () => {
    const net = sewResNetCifar({ neuron: ifNeuron, T: 3, widthFactor: 1 / 16, numClasses: 10, seed: 1 });
    expect(net.children.map(([n]) => n).slice(0, 4)).toEqual(["conv1", "bn1", "sn1", "layer1.0"]);
    const x = tf.randomNormal([3, 2, 32, 32, 3], 0, 1, "float32", 3);
    const stem = new Named(net.children.slice(0, 3)).forward(x);
    expect(stem.shape).toEqual([3, 2, 32, 32, 4]);
    net.reset();
    const y = net.forward(x);
    expect(y.shape).toEqual([3, 2, 10]);
    tf.dispose([x, stem, y]);
    dispose(net);
  });

  it("zero-initialised residual: each main branch's last BN outputs 0 at init, so every block starts as its shortcut", () => {
    const net = sewResNetCifar({ neuron: ifNeuron, T: 2, widthFactor: 1 / 16, seed: 2 });
    const blocks = net.children.filter(([n]) => n.startsWith("layer")).map(([, m]) => m as Named);
    expect(blocks).toHaveLength(8);
    for (const block of blocks) {
      const names = block.children.map(([n]) => n);
      const last = block.children.find(([n]) => n === "bn2")![1] as BatchNorm;
      const first = block.children.find(([n]) => n === "bn1")![1] as BatchNorm;
      // γ = 0 in bn2 only: y = 0·x̂ + β = 0 for any input (β = 0 at init), while bn1 keeps γ = 1.
      const c = last.channels;
      const h = tf.randomNormal([2, 3, 4, 4, c], 1, 2, "float32", 5);
      const out = last.forward(h);
      expect(tf.max(tf.abs(out)).dataSync()[0]).toBe(0);
      expect(tf.min(first.gamma).dataSync()[0]).toBe(1);
      tf.dispose([h, out]);
      expect(names).toContain("sn2");
    }
    // The whole block: out = SN(BN₂(…)) + shortcut(x) = shortcut(x) (identity in the first block).
    const x = tf.cast(tf.greater(tf.randomUniform([2, 3, 32, 32, 4], 0, 1, "float32", 6), 0.5), "float32");
    const y = blocks[0]!.forward(x);
    expect(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]).toBe(0);
    tf.dispose([x, y]);
    dispose(net);
  });
});
