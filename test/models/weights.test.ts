import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { dvsGestureNet, loadWeights, saveWeights, seqCifarNet } from "../../src/lib/models/index.js";
import { IFNode } from "../../src/lib/neurons/if.js";
import { loadTorchvisionWeights } from "../../src/lib/models/weights.js";
import { sewResNet } from "../../src/lib/models/sew-resnet.js";
import { buffersOf, parametersOf } from "../../src/lib/layers/module.js";
import { encodeSafetensors, SafetensorsError, type SafeTensor } from "../../src/lib/util/safetensors.js";
import { headerOf, withHeader } from "../util/safetensors-helpers.js";
import { readFileSync } from "node:fs";
import { writeFileSync } from "node:fs";

const neuron = () => new IFNode({ vReset: null });

describe("weights save/load", () => {
  it("round trip: a fresh model with loaded weights gives identical outputs (incl. BN running stats)", async () => {
    const a = dvsGestureNet({ neuron, T: 2, channels: 4, seed: 1 });
    const x = tf.randomUniform([2, 2, 2, 64, 64], 0, 3, "float32", 5);
    a.forward(x); // updates BN running statistics
    a.reset();
    a.train(false);
    const ya = a.forward(x).dataSync();
    const path = join(mkdtempSync(join(tmpdir(), "sl-w-")), "gesture.safetensors");
    await saveWeights(a, path, { arch: "dvsGestureNet", channels: "4" });
    const b = dvsGestureNet({ neuron, T: 2, channels: 4, seed: 2 });
    b.train(false);
    expect(Array.from(b.forward(x).dataSync())).not.toEqual(Array.from(ya));
    b.reset();
    expect(loadWeights(b, path)).toMatchObject({ arch: "dvsGestureNet", format: "spikelab-weights-v1" });
    expect(Array.from(b.forward(x).dataSync())).toEqual(Array.from(ya));
  });
  it("refuses weights of another architecture, naming the mismatches", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sl-w-")), "w.safetensors");
    await saveWeights(dvsGestureNet({ neuron, T: 1, channels: 4 }), path);
    expect(() => loadWeights(dvsGestureNet({ neuron, T: 1, channels: 8 }), path)).toThrow(/is \[3,3,2,4\] in the file, \[3,3,2,8\] in the model/);
    expect(() => loadWeights(seqCifarNet({ neuron, channels: 4 }), path)).toThrow(/missing '.*'; .*unexpected|missing/);
  });
  it("a corrupt header or I32 data in a float32 model is an error naming the path, never garbage weights (issue #20)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-w-"));
    const good = join(dir, "w.safetensors");
    const model = () => dvsGestureNet({ neuron, T: 1, channels: 4, seed: 3 });
    await saveWeights(model(), good);
    const bytes = new Uint8Array(readFileSync(good));
    const h = headerOf(bytes) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    const [name, info] = Object.entries(h).find(([k]) => k !== "__metadata__")!;
    const variants: [string, unknown, RegExp][] = [
      ["null header", null, /expected a JSON object/],
      ["tensor info null", { ...h, [name]: null }, new RegExp(`tensor '${name.replace(/\./g, "\\.")}': expected an object`)],
      ["negative begin", { ...h, [name]: { ...info, data_offsets: [-4, info.data_offsets[1]! - 4] } }, /non-negative integers/],
      ["__metadata__ 5", { ...h, __metadata__: 5 }, /__metadata__: expected an object of string values/],
      ["dtype toString", { ...h, [name]: { ...info, dtype: "toString" } }, /expected dtype F32, I32 or U8, found "toString"/],
    ];
    for (const [what, header, msg] of variants) {
      const p = join(dir, `${what.replace(/ /g, "-")}.safetensors`);
      writeFileSync(p, withHeader(bytes, header));
      let e: unknown = null;
      try { loadWeights(model(), p); } catch (x) { e = x; }
      expect(e, what).toBeInstanceOf(SafetensorsError);
      expect((e as Error).message.startsWith(`${p}: at byte `), what).toBe(true);
      expect((e as Error).message, what).toMatch(msg);
    }
    // the same bytes relabelled I32: structurally valid, but not what a float32 model holds
    const i32 = join(dir, "i32.safetensors");
    writeFileSync(i32, withHeader(bytes, { ...h, [name]: { ...info, dtype: "I32" } }));
    expect(() => loadWeights(model(), i32)).toThrow(`${i32}: weights do not fit this model: '${name}' is I32 in the file, expected F32 (saveWeights stores float32)`);
    expect(() => loadWeights(model(), dir)).toThrow(`${dir}: at byte 0: expected a readable safetensors file, found a directory (EISDIR)`);
  });
});

describe("torchvision initialisation (run.sh --load, non-strict)", () => {
  const net = (seed: number, imp = false) => sewResNet({ depth: 18, T: 1, numClasses: 10, seed, widthFactor: 1 / 16, neuron: () => new IFNode({ vReset: 0, ...(imp ? { imp: true } : {}) }) });
  /** The model's tensors written in torchvision's layout (OIHW convs, [out, in] linear), plus a foreign entry. */
  async function asTorchvision(m: ReturnType<typeof net>, path: string): Promise<void> {
    const t: Record<string, SafeTensor> = { "extra.unused": { dtype: "F32", shape: [1], data: new Float32Array([1]) } };
    for (const v of [...parametersOf(m), ...buffersOf(m)]) {
      const perm = v.variable.shape.length === 4 ? [3, 2, 0, 1] : v.variable.shape.length === 2 ? [1, 0] : null; // HWIO → OIHW
      const x = perm ? tf.transpose(v.variable, perm) : v.variable;
      t[v.name] = { dtype: "F32", shape: x.shape, data: x.dataSync() as Float32Array };
    }
    writeFileSync(path, encodeSafetensors(t, {}));
  }
  it("converts OIHW / [out, in] layouts by name; a fresh net then computes the same outputs", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sl-tv-")), "resnet18.safetensors");
    const a = net(1);
    await asTorchvision(a, path);
    const x = tf.randomUniform([1, 2, 32, 32, 3], 0, 1, "float32", 3);
    a.train(false);
    const ya = Array.from(a.forward(x).dataSync());
    a.reset();
    const b = net(2);
    b.train(false);
    expect(Array.from(b.forward(x).dataSync())).not.toEqual(ya);
    b.reset();
    const r = loadTorchvisionWeights(b, path);
    expect(r.missing).toEqual([]);
    expect(r.unexpected).toEqual(["extra.unused"]);
    expect(r.loaded).toContain("layer2.0.downsample.0.weight");
    expect(Array.from(b.forward(x).dataSync())).toEqual(ya);
  });
  it("names missing on either side are reported, not fatal; a shape that does not fit is an error", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sl-tv-")), "resnet18.safetensors");
    const withImp = net(1, true);
    withImp.forward(tf.zeros([1, 1, 32, 32, 3])); // materialise the lazily shaped IMP parameters
    withImp.reset();
    await asTorchvision(net(1), path);
    const r = loadTorchvisionWeights(withImp, path);
    expect(r.missing.length).toBeGreaterThan(0);
    expect(r.missing).toContain("layer1.1.sn2.imp");
    expect(r.missing.every((n) => n.endsWith(".imp"))).toBe(true); // only the IMP parameters, which torchvision lacks
    const wide = sewResNet({ depth: 18, T: 1, numClasses: 10, seed: 0, widthFactor: 1 / 8, neuron: () => new IFNode({ vReset: 0 }) });
    expect(() => loadTorchvisionWeights(wide, path)).toThrow(/resnet18\.safetensors: torchvision weights do not fit this model: 'conv1\.weight' is \[4,3,7,7\] in the file \(torchvision layout\), \[7,7,3,8\] in the model/);
  });
});
