import { describe, expect, it } from "vitest";
import type { Claim } from "../../src/lib/repro/claims.js";
import { compareClaim, formatTolerance } from "../../src/lib/repro/verdict.js";

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
