import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const script = join(__dirname, "fixtures", "run-bn.ts");
// One process (node --import tsx), not the tsx wrapper: SIGKILL must hit the process that trains (and its threads).
const node = process.execPath;
const args = (out: string, ...extra: string[]) => ["--import", "tsx", script, out, ...extra];
const withoutWall = (dir: string) => readFileSync(join(dir, "metrics.jsonl"), "utf8").split("\n").map((l) => l.replace(/"wallS":[^,]+,/, ""));

describe("training with 2 workers, as a process", () => {
  it("kill -9 mid-run, then resume: the same final weights and buffers as the uninterrupted run, bit for bit", async () => {
    const full = mkdtempSync(join(tmpdir(), "sl-par-full-"));
    const r = spawnSync(node, args(full), { encoding: "utf8" });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);

    const cut = mkdtempSync(join(tmpdir(), "sl-par-cut-"));
    // 6 steps per epoch: kill inside epoch 2 (after step 8), while the process is still busy.
    const killedAt = await new Promise<number>((resolve, reject) => {
      const child = spawn(node, args(cut, "--slow"), { stdio: ["ignore", "pipe", "pipe"] });
      let seen = 0, err = "";
      child.stderr.on("data", (b: Buffer) => { err += b.toString(); });
      child.stdout.on("data", (buf: Buffer) => {
        for (const m of buf.toString().matchAll(/step (\d+)/g)) seen = Number(m[1]);
        if (seen >= 8 && !child.killed) child.kill("SIGKILL");
      });
      child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve(seen) : reject(new Error(`child ended ${code} ${signal} before the kill: ${err.slice(-1500)}`))));
    });
    expect(killedAt).toBeGreaterThanOrEqual(8);
    expect(killedAt).toBeLessThan(18);
    expect(existsSync(join(cut, "final.safetensors"))).toBe(false);
    const resumed = spawnSync(node, args(cut), { encoding: "utf8" });
    expect(resumed.status, resumed.stderr.slice(-2000)).toBe(0);
    expect(Number(/step (\d+)/.exec(resumed.stdout)![1])).toBeGreaterThan(6); // resumed mid-run, not from the start
    expect(readFileSync(join(cut, "final.safetensors")).equals(readFileSync(join(full, "final.safetensors")))).toBe(true);
    expect(withoutWall(cut)).toEqual(withoutWall(full));
  }, 240_000);

  it("a worker that throws: the error reaches the main thread, every worker is terminated and the process exits by itself", () => {
    const out = mkdtempSync(join(tmpdir(), "sl-par-fail-"));
    const t0 = Date.now();
    const r = spawnSync(node, args(out, "--fail-and-catch"), { encoding: "utf8", timeout: 90_000 });
    expect(r.error, "the process did not exit on its own (a worker thread kept it alive?)").toBeUndefined();
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/caught: gradient worker 1 of 2 failed: injected failure in worker 1/);
    expect(Date.now() - t0).toBeLessThan(90_000);
  }, 120_000);
});
