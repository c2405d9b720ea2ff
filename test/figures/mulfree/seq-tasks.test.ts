// The sequential-CIFAR experiments behind mul-free Tables 3, 5, 10 / Fig. 5 and 11 / Fig. 6.
import { runContext } from "../../../src/lib/repro/item.js";
import { disposeModule } from "../../../src/lib/layers/module.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSeqNet, describeSetting, seqTaskData, seqTaskSetting, seqWorkerModel, trainSeqTask } from "../../../src/figures/mulfree/seq-task.js";
import { parametersOf } from "../../../src/lib/layers/module.js";
import { atan } from "../../../src/lib/surrogate.js";
import { TABLE3_METHODS } from "../../../src/figures/mulfree/table3.js";
import { ordersFor, TABLE10_SETTINGS } from "../../../src/figures/mulfree/table10.js";
import { run as runTable11 } from "../../../src/figures/mulfree/table11.js";
import { claimsFor } from "../../../src/figures/registry.js";
import { MULFREE_STRATEGIES } from "../../../src/lib/neurons/mulfree-psn.js";

const ctxFor = (scale: "smoke" | "small" | "paper") => runContext({ outRoot: mkdtempSync(join(tmpdir(), "spikelab-mf-")), paper: "paper", item: "item", scale, seed: 0, quietProgress: true });

describe("sequential-CIFAR task settings", () => {
  it("smoke is synthetic and says so; small and paper need the real dataset and name the fetch command", async () => {
    const smoke = seqTaskSetting("pixel-cifar10", "smoke");
    expect(smoke.data).toBe("synthetic");
    expect(describeSetting(smoke)).toMatch(/synthetic grating CIFAR .*T = 64 \(image average-pooled ×4; the paper uses T = 1024\)/);
    expect(seqTaskSetting("seq-cifar100", "paper")).toMatchObject({ epochs: 256, batchSize: 128, widths: [128, 128], data: "real", mix: true });
    expect(seqTaskSetting("pixel-cifar10", "paper")).toMatchObject({ epochs: 128, downsample: 1 });
    const old = process.env.SPIKELAB_DATA;
    process.env.SPIKELAB_DATA = mkdtempSync(join(tmpdir(), "spikelab-nodata-"));
    try {
      await expect(seqTaskData(seqTaskSetting("seq-cifar10", "small"), ctxFor("small"))).rejects.toThrow(/data_batch_1\.bin: not found\. Fetch cifar10 with 'npx tsx data\/fetch\/cifar\.ts --variant 10'/);
    } finally {
      if (old === undefined) delete process.env.SPIKELAB_DATA; else process.env.SPIKELAB_DATA = old;
    }
  });

  it("a tiny run trains on the synthetic files: one epoch record, finite loss, accuracy in [0, 100]; 2 workers give 1 worker's numbers", async () => {
    const s = { ...seqTaskSetting("seq-cifar10", "smoke"), widths: [4, 4] as [number, number], trainLimit: 50, testLimit: 20 };
    const r = await trainSeqTask(s, "mulfree-psn", { k: 2 }, { ...ctxFor("smoke"), workers: 1 });
    expect(r.history.length).toBe(1);
    expect(Number.isFinite(r.history[0]!.trainLoss)).toBe(true);
    expect(r.testAcc).toBeGreaterThanOrEqual(0);
    expect(r.testAcc).toBeLessThanOrEqual(100);
    const two = await trainSeqTask(s, "mulfree-psn", { k: 2 }, { ...ctxFor("smoke"), workers: 2 });
    expect(Math.abs(two.history[0]!.trainLoss - r.history[0]!.trainLoss)).toBeLessThan(1e-4);
    expect(two.history[0]!.trainAcc).toBe(r.history[0]!.trainAcc);
    expect(two.testAcc).toBe(r.testAcc);
    disposeModule(r.model);
    disposeModule(two.model);
  });

  it("seqWorkerModel builds trainSeqTask's network (surrogate rebuilt from its spec): the same parameter names, shapes and values", () => {
    for (const task of ["seq-cifar10", "pixel-cifar10"] as const) {
      const s = seqTaskSetting(task, "smoke");
      const a = seqWorkerModel({ setting: s, kind: "mulfree-psn", options: { k: 2, dilation: "sawtooth", surrogate: { spec: { kind: "atan", param: 5 }, tie: ">=" } }, seed: 4 }).model;
      const b = buildSeqNet(s, "mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: atan(5) }, 4);
      const pa = parametersOf(a), pb = parametersOf(b);
      expect(pa.map((p) => [p.name, p.variable.shape]), task).toEqual(pb.map((p) => [p.name, p.variable.shape]));
      pa.forEach((p, i) => expect(Array.from(p.variable.dataSync()), `${task} ${p.name}`).toEqual(Array.from(pb[i]!.variable.dataSync())));
      disposeModule(a); disposeModule(b);
    }
  });

  it("every Table 3 and Table 10 claim has a method / setting that produces it", () => {
    const keys = claimsFor("mulfree", "table3").map((c) => c.id.split("/").slice(2).join("/"));
    expect(new Set(keys)).toEqual(new Set(TABLE3_METHODS.map((m) => m.key)));
    const t10 = claimsFor("mulfree", "table10").map((c) => c.id.replace(/^mulfree:table10\//, ""));
    expect(t10.length).toBe(96);
    for (const id of t10) expect(TABLE10_SETTINGS.some((s) => id.startsWith(`${s.key}/k=`))).toBe(true);
    expect(ordersFor("paper")).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });
});

describe("mulfree:table11 (smoke)", () => {
  it("times PSN and every strategy + autoselect for each k ≤ T, and keeps CPU seconds away from the GPU claims", async () => {
    const r = await runTable11(ctxFor("smoke"));
    const rows = (r.data as { rows: { T: number; variant: string; stepMs: number; epochS: number; chosen?: string }[] }).rows;
    for (const T of [2, 8, 32]) {
      const vs = rows.filter((x) => x.T === T).map((x) => x.variant);
      const ks = [2, 8].filter((k) => k <= T);
      expect(vs).toEqual(["psn", ...ks.flatMap((k) => [...MULFREE_STRATEGIES.map((s) => `k=${k}/${s}`), `k=${k}/autoselect`])]);
    }
    for (const x of rows) {
      expect(x.stepMs).toBeGreaterThan(0);
      expect(x.epochS).toBeCloseTo((x.stepMs * Math.ceil(50_000 / 8)) / 1000, 6);
      if (x.variant.endsWith("autoselect")) expect(x.chosen).toMatch(/^(toeplitz|shift|depthwise) ×\d/);
    }
    expect(r.reproduced.every((x) => x.value === null)).toBe(true);
    expect(r.reproduced.find((x) => x.claimId === "mulfree:table11/h20/b128/psn/T=2")!.note).toMatch(/GPU seconds per epoch/);
  }, 60_000);
});
