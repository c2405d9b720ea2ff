import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { countParameters, dvsGestureNet, RepeatT, seqCifarNet, sewResNet, stateVgg11R48, vgg11, vggMpe, type NeuronFactory } from "../../src/lib/models/index.js";
import { IFNode } from "../../src/lib/neurons/if.js";
import { LegacyLIFNode } from "../../src/lib/neurons/legacy-lif.js";

const ifNeuron: NeuronFactory = () => new IFNode({ vReset: null });
const conv = (cin: number, cout: number, k: number, bias = true) => k * k * cin * cout + (bias ? cout : 0);
const bn = (c: number) => 2 * c;
const VGG_WIDTHS = [64, 128, 256, 256, 512, 512, 512, 512];

function vggFeatureParams(tebn: boolean, T: number): number {
  let cin = 2, n = 0;
  for (const w of VGG_WIDTHS) { n += conv(cin, w, 3) + bn(w) + (tebn ? T : 0); cin = w; }
  return n;
}

describe("the papers' networks", () => {
  it("VGGMPE: parameter count from the architecture, 48² frames → [T, B, 10]", () => {
    const net = vggMpe({ neuron: () => new LegacyLIFNode(), T: 2 });
    expect(countParameters(net)).toBe(vggFeatureParams(false, 2) + 4608 * 10 + 10);
    const out = net.forward(tf.randomUniform([2, 1, 2, 48, 48], 0, 2, "float32", 1));
    expect(out.shape).toEqual([2, 1, 10]);
  });
  it("StateVGG11R48 (TEBN) and VGG11 (128², global pooling) counts", () => {
    expect(countParameters(stateVgg11R48({ neuron: ifNeuron, T: 10, numClasses: 101 }))).toBe(vggFeatureParams(true, 10) + 4608 * 101 + 101);
    const v = vgg11({ neuron: ifNeuron, T: 1 });
    expect(countParameters(v)).toBe(vggFeatureParams(false, 1) + 512 * 10 + 10);
    expect(v.forward(tf.zeros([1, 1, 2, 32, 32])).shape).toEqual([1, 1, 10]);
  });
  it("DVSGestureNet(256) at 64² and (128) at 128²: counts and 11 voting outputs", () => {
    const C = 256;
    const expected = conv(2, C, 3, false) + 4 * conv(C, C, 3, false) + 5 * bn(C) + (C * 4 * 1024 + 1024) + (1024 * 110 + 110);
    const net = dvsGestureNet({ neuron: ifNeuron, T: 1, channels: C });
    expect(countParameters(net)).toBe(expected);
    const small = dvsGestureNet({ neuron: ifNeuron, T: 2, channels: 8, inputSize: 128 });
    expect(countParameters(small)).toBe(conv(2, 8, 3, false) + 4 * conv(8, 8, 3, false) + 5 * bn(8) + (8 * 16 * 1024 + 1024) + (1024 * 110 + 110));
    expect(small.forward(tf.zeros([2, 3, 2, 128, 128])).shape).toEqual([2, 3, 11]);
    expect(() => dvsGestureNet({ neuron: ifNeuron, T: 1, inputSize: 48 })).toThrow(/multiple of 32/);
  });
  it("SEW-ResNet-18/34/50 have torchvision's ResNet parameter counts (1000 classes)", () => {
    for (const [depth, n] of [[18, 11_689_512], [34, 21_797_672], [50, 25_557_032]] as const) {
      const net = sewResNet({ depth, neuron: ifNeuron, T: 1 });
      expect(countParameters(net), `SEW-ResNet-${depth}`).toBe(n);
      net.parameters().forEach((p) => p.variable.dispose());
      net.buffers().forEach((b) => b.variable.dispose());
    }
  });
  it("SEW-ResNet-18 runs on a small image repeated over T", () => {
    const net = sewResNet({ depth: 18, neuron: ifNeuron, T: 2, numClasses: 5 });
    const x = new RepeatT(2).forward(tf.randomUniform([1, 32, 32, 3], 0, 1, "float32", 2));
    expect(net.forward(x).shape).toEqual([2, 1, 5]);
  });
  it("sequential-CIFAR net: columns as steps, [32, B, 32, 1, 3] → [32, B, 100]", () => {
    const net = seqCifarNet({ neuron: ifNeuron, numClasses: 100, channels: 16 });
    const C = 16;
    const expected = (3 * 3 * C + C) + 5 * (3 * C * C + C) + 6 * bn(C) + (C * 8 * 256 + 256) + (256 * 100 + 100);
    expect(countParameters(net)).toBe(expected);
    expect(net.forward(tf.zeros([32, 2, 32, 1, 3])).shape).toEqual([32, 2, 100]);
  });
});
