import { describe, expect, it } from "vitest";
import { BACKEND_LADDER, currentBackend, describeBackend, initBackend, tf, useBackend } from "../../src/lib/backend/index.js";

describe("backend ladder", () => {
  it("picks the first rung that loads and says why the others were skipped", async () => {
    const choice = await initBackend({ log: false });
    expect(BACKEND_LADDER).toContain(choice.rung);
    expect(tf.getBackend()).toBe(choice.tfBackend);
    const above = BACKEND_LADDER.slice(0, BACKEND_LADDER.indexOf(choice.rung));
    if (choice.reason === "auto") expect(choice.skipped.map((s) => s.rung)).toEqual(above);
    for (const s of choice.skipped) expect(s.why.length).toBeGreaterThan(0);
    expect(describeBackend(choice)).toContain(`backend ${choice.rung}`);
  });

  it("useBackend switches rungs and back, and refuses unknown names", async () => {
    const before = currentBackend()!;
    const cpu = await useBackend("cpu", { log: false });
    expect(cpu.rung).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    await useBackend(before.rung, { log: false });
    expect(tf.getBackend()).toBe(before.tfBackend);
    await expect(useBackend("tpu" as never)).rejects.toThrow(/expected one of node-gpu, node, webgpu, wasm, cpu/);
  });

  it("names the missing package when an optional native rung is forced", async () => {
    const before = currentBackend()!;
    if (before.rung === "node" || before.rung === "node-gpu") return; // installed here: nothing to refuse
    await expect(useBackend("node", { log: false })).rejects.toThrow(/@tensorflow\/tfjs-node/);
    expect(tf.getBackend()).toBe(before.tfBackend);
  });
});
