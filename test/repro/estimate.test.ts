import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { cachedEstimates, estimateItems, estimateLine, estimateWorkload, formatDuration } from "../../src/lib/repro/estimate.js";
import type { ReproItem } from "../../src/lib/repro/item.js";
import { Registry } from "../../src/lib/repro/registry.js";
import { listItems } from "../../src/lib/repro/runner.js";
import { readStepTime, stepTimeCacheDir, stepTimeCachePath, writeStepTime } from "../../src/lib/repro/step-time-cache.js";
import { stepTimeEnvironment, type StepTimeEnvironment } from "../../src/lib/repro/step-time.js";
import type { PaperWorkload, WorkloadNetwork } from "../../src/lib/repro/workload.js";
import { TinySnn } from "../train/fixtures/tiny.js";

describe("formatDuration", () => {
  it("picks ms, s, min, h, d or y with two significant digits", () => {
    expect(formatDuration(0.0123)).toBe("12 ms");
    expect(formatDuration(2)).toBe("2 s");
    expect(formatDuration(59.4)).toBe("59 s");
    expect(formatDuration(90)).toBe("1.5 min");
    expect(formatDuration(4.2 * 3600)).toBe("4.2 h");
    expect(formatDuration(31 * 86400)).toBe("31 d");
    expect(formatDuration(150 * 86400)).toBe("150 d");
    expect(formatDuration(3 * 365.25 * 86400)).toBe("3 y");
    expect(() => formatDuration(-1)).toThrow(/expected a finite duration >= 0 s, got -1/);
  });
});

const tiny: WorkloadNetwork = { key: "tiny/test", inputShape: [4, 32, 8], numClasses: 3, build: () => new TinySnn(8, 16, 3, 1, 0) };
const workload: PaperWorkload = { runs: [{ label: "tiny run", network: tiny, epochs: 100, trainSamples: 3200, testSamples: 320, repeats: 3 }] };
const env: StepTimeEnvironment = { backend: "wasm", device: "Test CPU × 2", workers: 1 };

function toyRegistry(): Registry {
  const item: ReproItem = { id: "toy:train", paper: "toy", item: "train", title: "a training item", needs: { cpuMinutes: { smoke: 1 } }, scales: ["smoke", "paper"], status: "ready", workload: async () => workload };
  const other: ReproItem = { id: "toy:count", paper: "toy", item: "count", title: "an exact item", needs: { cpuMinutes: { paper: 0.1 } }, scales: ["paper"], status: "ready" };
  return new Registry({ papers: [{ id: "toy", title: "Toy", short: "toy" } as never], claims: [], items: [item, other] });
}

describe("paper-scale estimates", () => {
  it("turns a measured step into the item's wall time and says how it was measured", () => {
    const record = { format: 1, network: tiny.key, ...env, batch: 2, T: 4, shape: [4, 2, 8], trainStepS: 0.5, forwardStepS: 0.125, trainSamplesS: [0.5], forwardSamplesS: [0.125], measuredAt: "2026-12-07T10:00:00.000Z", spikelab: "0.1.0", tfjs: "4.22.0" };
    const e = estimateWorkload("toy:train", workload, env, () => ({ kind: "hit", record }));
    // Step at batch 32 = 0.5 s · 32/2 = 8 s; forward 2 s. 3 · (100 · 100 · 8 + 100 · 10 · 2) = 246 000 s ≈ 2.8 d.
    expect(e.seconds).toBe(246_000);
    expect(e.runs[0]).toMatchObject({ trainSteps: 10_000, evalSteps: 1000, trainStepS: 8, repeats: 3 });
    expect(estimateLine(e)).toBe("≈ 2.8 d on wasm (1 worker), 3 runs, 8 s/step measured 2026-12-07 at batch 2, scaled");
    const none = estimateWorkload("toy:train", workload, env, () => ({ kind: "missing" }));
    expect(estimateLine(none)).toBe("not measured on wasm (1 worker) — run `npx tsx reproduce.ts estimate toy:train`");
    const stale = estimateWorkload("toy:train", workload, env, () => ({ kind: "stale", reason: "old" }));
    expect(estimateLine(stale)).toMatch(/^measurement stale or corrupt on wasm \(1 worker\) — run/);
  });

  it("list shows the cached estimate of a training item on the running backend, and a dash for other items", async () => {
    const root = mkdtempSync(join(tmpdir(), "est-list-"));
    const reg = toyRegistry();
    const running = stepTimeEnvironment();
    const before = await cachedEstimates(reg, { outRoot: root });
    expect(estimateLine(before.get("toy:train")!)).toMatch(/^not measured on /);
    await writeStepTime(stepTimeCacheDir(root), running, tiny, { batch: 2, T: 4, shape: [4, 2, 8], trainStepS: 0.5, forwardStepS: 0.125, trainSamplesS: [0.5], forwardSamplesS: [0.125] }, { now: new Date("2026-12-07T10:00:00Z") });
    const lines = new Map([...(await cachedEstimates(reg, { outRoot: root }))].map(([id, e]) => [id, estimateLine(e)]));
    const table = listItems(reg, { estimates: lines, backend: running.backend });
    expect(table).toContain(`| paper-scale estimate (${running.backend}) |`);
    expect(table).toMatch(new RegExp(`\\| toy:train \\| ready \\|.*\\| ≈ 2\\.8 d on ${running.backend}.*, 3 runs, 8 s/step measured 2026-12-07 at batch 2, scaled \\|`));
    expect(table).toMatch(/\| toy:count \| ready \|.*\| — \|/);
  });

  it("estimate measures a real toy network, and measures again when the cached record is corrupt", async () => {
    const root = mkdtempSync(join(tmpdir(), "est-run-"));
    const reg = toyRegistry();
    const running = stepTimeEnvironment();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const [first] = await estimateItems([reg.getItem("toy:train")!], { outRoot: root });
      expect(first!.unmeasured).toEqual([]);
      expect(first!.seconds).toBeGreaterThan(0);
      const path = stepTimeCachePath(stepTimeCacheDir(root), running, tiny);
      writeFileSync(path, "{ truncated");
      log.mockClear();
      const [again] = await estimateItems([reg.getItem("toy:train")!], { outRoot: root });
      expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/re-measuring tiny\/test — .*corrupt step-time record: not JSON/);
      expect(again!.unmeasured).toEqual([]);
      expect(readStepTime(stepTimeCacheDir(root), running, tiny).kind).toBe("hit");
    } finally {
      log.mockRestore();
    }
  });
});

describe("estimate on the command line", () => {
  it("parses estimate [ids|all] with --batch/--force/--out, and rejects what belongs elsewhere", async () => {
    const { parseCliArgs } = await import("../../src/lib/repro/cli.js");
    expect(parseCliArgs(["estimate"])).toEqual({ command: "estimate", ids: [] });
    expect(parseCliArgs(["estimate", "all"])).toEqual({ command: "estimate", ids: [] });
    expect(parseCliArgs(["estimate", "imp:table1", "--batch", "1", "--force", "--out", "o"])).toEqual({ command: "estimate", ids: ["imp:table1"], batch: 1, force: true, out: "o" });
    expect(parseCliArgs(["list", "--out", "o"])).toEqual({ command: "list", ids: [], out: "o" });
    expect(() => parseCliArgs(["estimate", "--batch", "0"])).toThrow(/--batch must be an integer from 1 to 4096 .* got '0'/);
    expect(() => parseCliArgs(["estimate", "--scale", "small"])).toThrow(/'estimate' always estimates the paper scale/);
    expect(() => parseCliArgs(["imp:table1", "--force"])).toThrow(/--batch and --force apply to 'estimate' only/);
  });
});
