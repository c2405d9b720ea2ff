import { describe, expect, it } from "vitest";
import type { Claim } from "../../src/lib/repro/claims.js";
import { compareClaim, compareWithLog, formatTolerance, logMatchTolerance } from "../../src/lib/repro/verdict.js";

const claim = (over: Partial<Claim>): Claim => ({ id: "imp:x/y", paper: "imp", item: "x", setting: "s", quantity: "q", value: 80, unit: "%", source: "src", tolerance: { abs: 1 }, kind: "trained", ...over });

describe("verdict rules", () => {
  it("exact claims: equal → REPRODUCED, off by one → MISMATCH", () => {
    const c = claim({ kind: "exact", value: 54, unit: "maps", tolerance: { abs: 0 } });
    expect(compareClaim(c, 54, "smoke").status).toBe("REPRODUCED");
    expect(compareClaim(c, 55, "smoke").status).toBe("MISMATCH");
  });
  it("trained claims are PARTIAL below the paper scale and judged at it, with REPRODUCED+ above", () => {
    const c = claim({});
    expect(compareClaim(c, 60, "small").status).toBe("PARTIAL");
    expect(compareClaim(c, 80.5, "paper").status).toBe("REPRODUCED");
    expect(compareClaim(c, 78, "paper").status).toBe("MISMATCH");
    expect(compareClaim(c, 83, "paper").status).toBe("REPRODUCED+");
  });
  it("relative tolerances, NOT-RUN without a value, readable tolerance text", () => {
    const t = claim({ kind: "timing", value: 10, unit: "×", tolerance: { rel: 0.5 } });
    expect(compareClaim(t, 14.9, "smoke").status).toBe("REPRODUCED");
    expect(compareClaim(t, 4.9, "smoke").status).toBe("MISMATCH");
    expect(compareClaim(t, null, "smoke")).toMatchObject({ status: "NOT-RUN", delta: null });
    expect(formatTolerance(claim({}))).toBe("±1 pp");
    expect(formatTolerance(t)).toBe("±50 %rel");
  });
});

describe("IN-LOG verdicts (claims judged against the authors' logs)", () => {
  const logged = (over: Partial<Claim> = {}) => claim({ value: 97.92, log: { run: "r", file: "a.log", selection: "best-over-epochs" }, ...over });
  const lookup = (value: number, candidates: number[] = [], generated = false) => ({
    selected: { value, where: "epoch 150 of r" }, candidates: candidates.map((v, i) => ({ value: v, where: `epoch ${i}` })), generated,
  });
  it("a logged value that rounds to the claim as written is IN-LOG; half a unit further is not", () => {
    expect(compareWithLog(logged(), lookup(97.917))).toMatchObject({ status: "IN-LOG", reproduced: 97.917 });
    expect(compareWithLog(logged(), lookup(97.924)).status).toBe("IN-LOG");
    expect(compareWithLog(logged(), lookup(97.926)).status).toBe("MISMATCH");
    expect(logMatchTolerance(logged({ value: 84.476 }))).toBeCloseTo(0.0005, 12);
  });
  it("MISMATCH names the nearest logged values and says when the claim matches another epoch than its rule", () => {
    const c = compareWithLog(logged({ value: 96.53 }), lookup(97.917, [90, 96.528, 97.917, 95]));
    expect(c.status).toBe("MISMATCH");
    expect(c.note).toMatch(/nearest logged: 96.528 \(epoch 1\), 97.917 \(epoch 2\), 95 \(epoch 3\)/);
    expect(c.note).toMatch(/the claim matches epoch 1, not its declared selection/);
  });
  it("a value read off a figure is matched within the claim's own tolerance when the claim says so", () => {
    const fig = logged({ value: 85, tolerance: { abs: 1 }, log: { run: "r", file: "a.log", selection: "best-over-epochs", match: "claim-tolerance" } });
    expect(compareWithLog(fig, lookup(84.476)).status).toBe("IN-LOG");
    expect(compareWithLog({ ...fig, log: { ...fig.log!, match: "as-written" } }, lookup(84.476)).status).toBe("MISMATCH");
  });
  it("unreadable log → NOT-RUN; a generated stand-in log → PARTIAL saying what the verdict would be", () => {
    expect(compareWithLog(logged(), { selected: null, candidates: [] })).toMatchObject({ status: "NOT-RUN", reproduced: null });
    const p = compareWithLog(logged(), lookup(97.917, [], true));
    expect(p.status).toBe("PARTIAL");
    expect(p.note).toMatch(/would be IN-LOG/);
    expect(compareWithLog(logged(), lookup(50, [], true)).note).toMatch(/would be MISMATCH/);
  });
});
