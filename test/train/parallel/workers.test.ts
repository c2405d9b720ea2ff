import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { MAX_AUTO_WORKERS, physicalCores, resolveWorkers } from "../../../src/lib/train/parallel/workers.js";

describe("resolveWorkers", () => {
  it("an explicit count is used as given; > 1 needs a workerSetup", () => {
    expect(resolveWorkers(3, true, {})).toBe(3);
    expect(resolveWorkers(1, false, {})).toBe(1);
    expect(() => resolveWorkers(2, false, {})).toThrow(/2 workers need a workerSetup/);
    expect(() => resolveWorkers(0, true, {})).toThrow(/workers must be a positive integer or "auto", got 0/);
    expect(() => resolveWorkers(1.5, true, {})).toThrow(/positive integer/);
  });

  it("auto: SPIKELAB_WORKERS, else the physical cores capped at MAX_AUTO_WORKERS; 1 without a setup", () => {
    expect(resolveWorkers(undefined, true, { SPIKELAB_WORKERS: "5" })).toBe(5);
    expect(resolveWorkers("auto", true, { SPIKELAB_WORKERS: " 2 " })).toBe(2);
    expect(() => resolveWorkers(undefined, true, { SPIKELAB_WORKERS: "many" })).toThrow(/SPIKELAB_WORKERS must be a positive integer/);
    expect(resolveWorkers(undefined, true, {})).toBe(Math.min(physicalCores(), MAX_AUTO_WORKERS));
    expect(resolveWorkers("auto", false, { SPIKELAB_WORKERS: "4" })).toBe(1);
    expect(resolveWorkers(3, true, { SPIKELAB_WORKERS: "5" })).toBe(3); // the config's explicit count wins
  });

  it("gradient workers run on wasm or cpu only: auto is 1 elsewhere, an explicit count an error", () => {
    expect(resolveWorkers(undefined, true, { SPIKELAB_WORKERS: "4" }, "webgpu")).toBe(1);
    expect(resolveWorkers(undefined, true, { SPIKELAB_WORKERS: "4" }, "cpu")).toBe(4);
    expect(() => resolveWorkers(2, true, {}, "webgpu")).toThrow(/gradient workers run on wasm or cpu, this process runs 'webgpu'/);
    expect(resolveWorkers(1, true, {}, "node-gpu")).toBe(1);
  });

  it("physicalCores is between 1 and the CPUs this process may use", () => {
    expect(physicalCores()).toBeGreaterThanOrEqual(1);
    expect(physicalCores()).toBeLessThanOrEqual(availableParallelism());
  });
});
