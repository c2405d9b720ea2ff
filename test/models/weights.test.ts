import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { dvsGestureNet, loadWeights, saveWeights, seqCifarNet } from "../../src/lib/models/index.js";
import { IFNode } from "../../src/lib/neurons/if.js";

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
});
