import { describe, expect, it } from "vitest";
import { runContext } from "../../../src/lib/repro/item.js";
import { tf } from "../../../src/lib/backend/tf.js";
import {
  CONVERGENCE_SETTINGS, PAPER_STEPS, PAPER_TS, TOY_BATCH, compareToSdt, measuredStatement, runConvergence, stepsToThreshold, summarise,
  toyData, toyForward, toyInit, toyObjective, trainToy, type ToyLoss,
} from "../../../src/figures/imp/convergence.js";

const ctx = runContext({ outRoot: "unused", paper: "imp", item: "fig5", scale: "smoke", seed: 0, quietProgress: true });

describe("IMP Fig. 5/8 convergence toy", () => {
  it("the network has no biases and starts silent: zero input gives exactly zero logits", () => {
    const init = toyInit(1);
    expect(init.map((w) => w.shape)).toEqual([[16, 256], [256, 256], [256, 256], [256, 16]]);
    const out = toyForward(init, tf.zeros([3, 5, 16]));
    expect(out.shape).toEqual([3, 5, 16]);
    expect(tf.max(tf.abs(out)).dataSync()[0]).toBe(0);
    tf.dispose([...init, out]);
  });

  it("static input repeats one draw over T; dynamic input differs per step; labels are the same for every T", () => {
    const s = toyData("static", 3, 5, 8), d = toyData("dynamic", 3, 5, 8), s2 = toyData("static", 6, 5, 8);
    const [s0, s1] = tf.unstack(s.x), [d0, d1] = tf.unstack(d.x);
    expect(tf.max(tf.abs(tf.sub(s0!, s1!))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(d0!, d1!))).dataSync()[0]).toBeGreaterThan(0.1);
    expect(Array.from(s.labels)).toEqual(Array.from(s2.labels));
    expect(Math.max(...s.labels)).toBeLessThan(16);
    expect(tf.min(d.x).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(d.x).dataSync()[0]).toBeLessThan(1);
    tf.dispose([s.x, d.x, s2.x, s0!, s1!, d0!, d1!]);
  });

  it("LTS's loss uses only the last output step; SDT and TET use every step", () => {
    const T = 4, labels = Int32Array.from([1, 5, 9]);
    const out = tf.randomNormal([T, 3, 16], 0, 1, "float32", 7);
    for (const loss of ["sdt", "tet", "lts"] as ToyLoss[]) {
      const g = tf.grad((o: tf.Tensor) => toyObjective(loss, o, labels))(out);
      const perStep = tf.sum(tf.abs(g), [1, 2]).arraySync() as number[];
      if (loss === "lts") {
        expect(perStep.slice(0, T - 1)).toEqual([0, 0, 0]);
        expect(perStep[T - 1]).toBeGreaterThan(0);
      } else {
        for (const v of perStep) expect(v, loss).toBeGreaterThan(0);
      }
      g.dispose();
    }
    out.dispose();
  });

  it("every loss starts from identical weights (same step-0 output), and the shared init is never updated", () => {
    // Scaled up so the network fires and its output depends on the weights (a silent net outputs 0 for any weights).
    const init = toyInit(2).map((w) => tf.mul(w, 4));
    const before = init.map((w) => w.dataSync().slice());
    const data = toyData("static", 3, 2, 8);
    const runs = (["sdt", "tet", "lts"] as ToyLoss[]).map((l) => trainToy(l, init, data, 3));
    expect(runs[0]!.ceMean[0]).not.toBeCloseTo(Math.log(16), 3);
    // Same weights + same data ⇒ bit-identical CE of the mean output before the first update, even though
    // each run then moves its own copy (a run starting from another's trained weights would differ).
    expect(new Set(runs.map((r) => r.ceMean[0])).size).toBe(1);
    expect(runs[0]!.ceMean[2]).not.toBe(runs[0]!.ceMean[0]);
    expect(new Set(runs.map((r) => r.ceMean[2])).size).toBe(3);
    expect(runs[0]!.curve[0]).toBe(runs[0]!.ceMean[0]); // SDT's curve is CE of the mean
    init.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(before[i]!)));
    tf.dispose([...init, data.x]);
  });

  it("at T = 1 the three losses are the same function, so the whole curves coincide", () => {
    const init = toyInit(4);
    const data = toyData("static", 1, 4, 16);
    // A scaled-up init so the single step fires and the curves move.
    const big = init.map((w) => tf.mul(w, 6));
    const runs = (["sdt", "tet", "lts"] as ToyLoss[]).map((l) => trainToy(l, big, data, 6));
    expect(runs[0]!.curve[5]).not.toBe(runs[0]!.curve[0]);
    expect(runs[1]!.curve).toEqual(runs[0]!.curve);
    expect(runs[2]!.curve).toEqual(runs[0]!.curve);
    tf.dispose([...init, ...big, data.x]);
  });

  it("curves: static TET plots its own loss (≥ CE of the mean); dynamic TET plots CE of the mean", () => {
    const init = toyInit(5).map((w) => tf.mul(w, 4));
    const st = toyData("static", 4, 5, 16), dy = toyData("dynamic", 4, 5, 16);
    const a = trainToy("tet", init, st, 4), b = trainToy("tet", init, dy, 4);
    a.curve.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(a.ceMean[i]! - 1e-5));
    expect(a.curve.some((v, i) => Math.abs(v - a.ceMean[i]!) > 1e-4)).toBe(true);
    expect(b.curve).toEqual(b.ceMean);
    tf.dispose([...init, st.x, dy.x]);
  });

  it("Adam on the full batch lowers the loss of every objective", () => {
    const init = toyInit(6).map((w) => tf.mul(w, 4));
    const data = toyData("static", 4, 6, 32);
    for (const l of ["sdt", "tet", "lts"] as ToyLoss[]) {
      const r = trainToy(l, init, data, 25);
      expect(r.curve[24], l).toBeLessThan(r.curve[0]! - 0.2);
    }
    tf.dispose([...init, data.x]);
  });

  it("steps to threshold, the comparison with SDT and the measured statement", () => {
    expect(stepsToThreshold([3, 2, 1, 0.5], 1)).toBe(2);
    expect(stepsToThreshold([3, 2], 1)).toBeNull();
    expect(compareToSdt(5, 9)).toBe("faster");
    expect(compareToSdt(null, 9)).toBe("slower");
    expect(compareToSdt(4, null)).toBe("faster");
    expect(compareToSdt(null, null)).toBe("neither");
    const mk = (T: number, loss: ToyLoss, curve: number[]) => summarise({ T, loss, curve, ceMean: curve, seconds: 0 });
    const summary = [mk(4, "sdt", [3, 2, 0.9]), mk(4, "lts", [3, 0.8, 0.5]), mk(8, "sdt", [3, 0.9, 0.4]), mk(8, "lts", [3, 2, 1.5])];
    const text = measuredStatement(summary, ["sdt", "lts"], "curve");
    expect(text).toBe("LTS vs SDT — threshold reached sooner at T ∈ {4}; later (or never) at T ∈ {8}; final loss lower at T ∈ {4}; not lower at T ∈ {8}");
  });

  it("the paper scale is the paper's full setting; smoke is reduced", () => {
    for (const input of ["static", "dynamic"] as const) {
      expect(CONVERGENCE_SETTINGS[input].paper).toEqual({ Ts: PAPER_TS, steps: PAPER_STEPS, batch: TOY_BATCH[input] });
      expect(CONVERGENCE_SETTINGS[input].smoke.Ts).toEqual([1, 4, 16]);
    }
    expect(PAPER_TS).toEqual([1, 2, 4, 6, 8, 12, 16, 24, 32]);
    expect(TOY_BATCH).toEqual({ static: 1024, dynamic: 512 });
  });

  it("the item runs end to end on a tiny setting: small multiples, summary, notes, no invented claim", async () => {
    const r = await runConvergence(ctx, "dynamic", { Ts: [1, 2], steps: 3, batch: 8 });
    expect(r.reproduced).toEqual([]);
    expect(r.figures.map((f) => f.name)).toEqual(["fig8", "fig8-summary"]);
    expect((r.figures[0]!.spec.facet as { field: string }).field).toBe("T");
    const data = r.data as { curves: { T: number; loss: string; curve: number[] }[] };
    expect(data.curves.map((c) => `${c.T}/${c.loss}`)).toEqual(["1/sdt", "1/tet", "2/sdt", "2/tet"]);
    expect(data.curves.every((c) => c.curve.length === 3)).toBe(true);
    expect(r.notes[0]).toMatch(/Reduced scale \(smoke\): T ∈ \{1, 2\}.*3 steps \(paper 1000\), batch 8 \(paper 512\)/);
    expect(r.notes.join(" ")).toMatch(/TET converges faster than SDT/);
  });
});
