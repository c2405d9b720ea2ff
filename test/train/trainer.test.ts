import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOSSES } from "../../src/lib/losses/index.js";
import { Adam, SGD } from "../../src/lib/train/optimizers.js";
import { constantLr } from "../../src/lib/train/schedules.js";
import { evaluate, train } from "../../src/lib/train/trainer.js";
import { BlobSource, TinySnn } from "./fixtures/tiny.js";

const weights = (m: TinySnn) => m.parameters().map((p) => Array.from(p.variable.dataSync()));

describe("trainer", () => {
  it("trains a tiny SNN: loss falls, accuracy beats chance, metrics.jsonl has one record per epoch", async () => {
    const out = mkdtempSync(join(tmpdir(), "sl-train-"));
    const model = new TinySnn(8, 32, 4, 1);
    const data = new BlobSource(128, 8, 4, 4, 16, 7);
    const test = new BlobSource(64, 8, 4, 4, 16, 8, false);
    const before = await evaluate(model, LOSSES.sdt, test);
    const { history } = await train({ model, loss: LOSSES.sdt, optimizer: new Adam(), schedule: constantLr(0.02), epochs: 4, seed: 1, train: data, test, outDir: out, progress: false });
    expect(history).toHaveLength(4);
    expect(history[3]!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(history[3]!.testLoss!).toBeLessThan(before.loss);
    expect(history[3]!.testAcc!).toBeGreaterThan(0.5);
    const lines = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([0, 1, 2, 3]);
    expect(existsSync(join(out, "checkpoint.json"))).toBe(true);
  });

  it("repeats exactly for a seed (dropout reseeded per step) and differs for another seed", async () => {
    const run = async (seed: number) => {
      const model = new TinySnn(8, 16, 4, 3);
      await train({ model, loss: LOSSES["tet-s"], optimizer: new SGD({ momentum: 0.9, weightDecay: 5e-4 }), schedule: constantLr(0.05), epochs: 2, seed, train: new BlobSource(64, 8, 4, 2, 16, 4), progress: false, mix: { mixupAlpha: 0.5 } });
      return weights(model);
    };
    const a = await run(1), b = await run(1), c = await run(2);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("micro-batches (gradient accumulation) give the full batch's step for a per-sample loss; uneven splits weigh by size", async () => {
    const run = async (microBatches?: number) => {
      const model = new TinySnn(8, 16, 4, 3);
      await train({ model, loss: LOSSES.tet, optimizer: new SGD({ momentum: 0.9 }), schedule: constantLr(0.1), epochs: 1, seed: 1, train: new BlobSource(40, 8, 4, 2, 10, 4), progress: false, mix: { mixupAlpha: 0.5 }, ...(microBatches ? { microBatches } : {}) });
      return weights(model).flat();
    };
    const full = await run(), two = await run(2), three = await run(3); // 10 = 3 + 4 + 3
    const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    expect(maxDiff(two, full)).toBeLessThan(1e-5);
    expect(maxDiff(three, full)).toBeLessThan(1e-5);
    expect(maxDiff(full, weights(new TinySnn(8, 16, 4, 3)).flat())).toBeGreaterThan(1e-3); // the steps did move the weights
  });

  it("kill -9 mid-epoch, then resume, gives the same final weights as an uninterrupted run", async () => {
    const script = join(__dirname, "fixtures", "run-tiny.ts");
    // One process (node --import tsx), not the tsx wrapper: SIGKILL must hit the process that trains.
    const node = process.execPath;
    const run = (out: string, ...extra: string[]) => [["--import", "tsx", script, out, ...extra]] as const;
    const full = mkdtempSync(join(tmpdir(), "sl-full-"));
    const r = spawnSync(node, ...run(full), { encoding: "utf8" });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);

    const cut = mkdtempSync(join(tmpdir(), "sl-cut-"));
    // 12 steps per epoch: kill inside epoch 2 (after step 17), with the process still busy.
    const killedAt = await new Promise<number>((resolve, reject) => {
      const child = spawn(node, ...run(cut, "--slow"), { stdio: ["ignore", "pipe", "pipe"] });
      let seen = 0;
      child.stdout.on("data", (buf: Buffer) => {
        for (const m of buf.toString().matchAll(/step (\d+)/g)) seen = Number(m[1]);
        if (seen >= 17 && !child.killed) child.kill("SIGKILL");
      });
      child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve(seen) : reject(new Error(`child ended ${code} ${signal} before the kill`))));
    });
    expect(killedAt).toBeGreaterThanOrEqual(17);
    expect(killedAt).toBeLessThan(36);
    expect(existsSync(join(cut, "final.safetensors"))).toBe(false);
    const resumed = spawnSync(node, ...run(cut), { encoding: "utf8" });
    expect(resumed.status, resumed.stderr.slice(-2000)).toBe(0);
    const firstStep = Number(/step (\d+)/.exec(resumed.stdout)![1]);
    expect(firstStep).toBeGreaterThan(12); // it resumed mid-run rather than starting over
    expect(readFileSync(join(cut, "final.safetensors")).equals(readFileSync(join(full, "final.safetensors")))).toBe(true);
    expect(readFileSync(join(cut, "metrics.jsonl"), "utf8").split("\n").map((l) => l.replace(/"wallS":[^,]+,/, "")))
      .toEqual(readFileSync(join(full, "metrics.jsonl"), "utf8").split("\n").map((l) => l.replace(/"wallS":[^,]+,/, "")));
  }, 120_000);

  it("refuses a model without parameters", async () => {
    await expect(train({ model: { forward: (x) => x }, loss: LOSSES.sdt, optimizer: new SGD(), schedule: constantLr(0.1), epochs: 1, seed: 0, train: new BlobSource(8, 2, 2, 1, 4, 0), progress: false }))
      .rejects.toThrow(/no trainable parameters/);
  });
});
