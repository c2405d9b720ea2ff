import { describe, expect, it } from "vitest";
import { WORKLOAD_ITEMS } from "../../src/figures/items.js";
import { WORKLOADS as IMP } from "../../src/figures/imp/workloads.js";
import { WORKLOADS as MPE } from "../../src/figures/mpe-psn/workloads.js";
import { WORKLOADS as MULFREE } from "../../src/figures/mulfree/workloads.js";
import { REGISTRY } from "../../src/figures/registry.js";
import { runSteps, validateWorkload } from "../../src/lib/repro/workload.js";

const BY_PAPER = { "mpe-psn": MPE, imp: IMP, mulfree: MULFREE } as Record<string, Record<string, () => import("../../src/lib/repro/workload.js").PaperWorkload>>;

describe("paper workloads of the training items", () => {
  it("every GPU-scale training item declares one, each declaration names a registered item, and all are well formed", async () => {
    for (const [paper, items] of Object.entries(WORKLOAD_ITEMS)) expect(Object.keys(BY_PAPER[paper]!).sort()).toEqual([...items].sort());
    const gpuItems = REGISTRY.items.filter((i) => i.needs.gpu).map((i) => i.id);
    expect(gpuItems.filter((id) => !REGISTRY.getItem(id)!.workload)).toEqual([]);
    for (const item of REGISTRY.items.filter((i) => i.workload)) validateWorkload(await item.workload!(), item.id);
  });

  it("MPE-PSN Table 1: CIFAR10-DVS 9000 / 1000 (files 0–99 of each class test), batch 32, 230 epochs; N-Caltech101 7893 / 816, batch 8", () => {
    const [t4, , , nc] = MPE.table1!().runs;
    expect(t4!.network.inputShape).toEqual([4, 32, 2, 48, 48]);
    // 230 · ⌈9000 / 32⌉ = 230 · 282; test after each of the 230 epochs and once at the end: 231 · ⌈1000 / 32⌉ = 231 · 32.
    expect(runSteps(t4!)).toEqual({ trainSteps: 64_860, evalSteps: 7392, batch: 32, evalBatch: 32, repeats: 2 });
    expect(nc!.network.inputShape).toEqual([10, 8, 2, 128, 128]);
    // 8709 − 816 = 7893 train: 230 · ⌈7893 / 8⌉ = 230 · 987; 231 · ⌈816 / 8⌉ = 231 · 102.
    expect(runSteps(nc!)).toMatchObject({ trainSteps: 227_010, evalSteps: 23_562, repeats: 1 });
  });

  it("mul-free Table 2: SHD 8156 / 2264, batch 128, 150 epochs, seeds 0–2, 10 ms bins of 1.4 s over 700/5 channels", () => {
    const [r] = MULFREE.table2!().runs;
    expect(r!.network.inputShape).toEqual([140, 128, 140]);
    // 150 · ⌈8156 / 128⌉ = 150 · 64; 150 · ⌈2264 / 128⌉ = 150 · 18.
    expect(runSteps(r!)).toEqual({ trainSteps: 9600, evalSteps: 2700, batch: 128, evalBatch: 128, repeats: 3 });
  });

  it("IMP Table 3: ImageNet-1k 1 281 167 / 50 000, run.sh's 4 × 192 batch for SEW-R18 (evaluated per GPU batch), 320 epochs", () => {
    const runs = IMP.table3!().runs;
    expect(runs.map((r) => r.repeats ?? 1).reduce((a, b) => a + b)).toBe(12); // 3 depths × (TET, SDT, LTS, IMP + LTS)
    const r18 = runs[0]!;
    expect(r18.network.inputShape).toEqual([4, 768, 224, 224, 3]);
    // 320 · ⌈1 281 167 / 768⌉ = 320 · 1669; 321 · ⌈50 000 / 192⌉ = 321 · 261.
    expect(runSteps(r18)).toEqual({ trainSteps: 534_080, evalSteps: 83_781, batch: 768, evalBatch: 192, repeats: 3 });
  });
});
