import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStepTime, stepTimeCachePath, writeStepTime } from "../../src/lib/repro/step-time-cache.js";
import type { StepTimeEnvironment, StepTimeMeasurement } from "../../src/lib/repro/step-time.js";
import type { WorkloadNetwork } from "../../src/lib/repro/workload.js";

const env: StepTimeEnvironment = { backend: "wasm", device: "Test CPU × 2", workers: 1 };
const net: WorkloadNetwork = { key: "vgg/test/T4", inputShape: [4, 32, 2, 48, 48], numClasses: 10, build: () => { throw new Error("unused"); } };
const m: StepTimeMeasurement = { batch: 2, T: 4, shape: [4, 2, 2, 48, 48], trainStepS: 2, forwardStepS: 0.5, trainSamplesS: [2, 2.1, 1.9], forwardSamplesS: [0.5, 0.5, 0.5] };
const versions = { spikelab: "0.1.0", tfjs: "4.22.0" };

describe("step-time cache", () => {
  it("writes one record per (backend, device, workers, network) atomically and reads it back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-cache-"));
    const r = await writeStepTime(dir, env, net, m, { versions, now: new Date("2026-12-07T10:00:00Z") });
    expect(readdirSync(dir)).toEqual([stepTimeCachePath(dir, env, net).slice(dir.length + 1)]); // no temp file left behind
    const l = readStepTime(dir, env, net, versions);
    expect(l).toEqual({ kind: "hit", record: r });
    expect(r).toMatchObject({ measuredAt: "2026-12-07T10:00:00.000Z", spikelab: "0.1.0", tfjs: "4.22.0", backend: "wasm", workers: 1, trainStepS: 2 });
    // Another backend, device or worker count is another measurement.
    expect(readStepTime(dir, { ...env, backend: "cpu" }, net, versions).kind).toBe("missing");
    expect(readStepTime(dir, { ...env, workers: 4 }, net, versions).kind).toBe("missing");
    expect(readStepTime(dir, env, { ...net, inputShape: [8, 32, 2, 48, 48] }, versions).kind).toBe("missing");
  });

  it("reports a record of another spikelab or TF.js version as stale, naming both versions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-cache-"));
    await writeStepTime(dir, env, net, m, { versions });
    const l = readStepTime(dir, env, net, { spikelab: "0.2.0", tfjs: "4.22.0" });
    expect(l.kind).toBe("stale");
    expect(l.kind === "stale" && l.reason).toMatch(/measured with spikelab 0\.1\.0; running spikelab 0\.2\.0/);
  });

  it("reports a truncated or incomplete file as corrupt, with the file and what is wrong", async () => {
    const dir = mkdtempSync(join(tmpdir(), "st-cache-"));
    await writeStepTime(dir, env, net, m, { versions });
    const path = stepTimeCachePath(dir, env, net);
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, 40));
    const cut = readStepTime(dir, env, net, versions);
    expect(cut.kind).toBe("corrupt");
    expect(cut.kind === "corrupt" && cut.reason).toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: corrupt step-time record: not JSON`));
    writeFileSync(path, JSON.stringify({ ...JSON.parse(text), trainStepS: -1 }));
    const bad = readStepTime(dir, env, net, versions);
    expect(bad.kind === "corrupt" && bad.reason).toMatch(/field 'trainStepS' is -1, expected a positive number/);
  });
});
