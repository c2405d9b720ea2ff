import { describe, expect, it } from "vitest";
import { claimsFor, getClaim, REGISTRY } from "../../src/figures/registry.js";

const CLAIMS = REGISTRY.claims;

describe("claims registry", () => {
  it("has unique ids, finite values and every paper", () => {
    expect(new Set(CLAIMS.map((c) => c.id)).size).toBe(CLAIMS.length);
    for (const c of CLAIMS) {
      expect(Number.isFinite(c.value), c.id).toBe(true);
      expect(c.id.startsWith(`${c.paper}:${c.item}/`), c.id).toBe(true);
      expect(c.tolerance.abs !== undefined || c.tolerance.rel !== undefined, c.id).toBe(true);
      expect(c.source.length, c.id).toBeGreaterThan(5);
    }
    expect(new Set(CLAIMS.map((c) => c.paper))).toEqual(new Set(["mpe-psn", "imp", "mulfree"]));
  });
  it("holds the spec's tables completely", () => {
    expect(claimsFor("mulfree", "table10")).toHaveLength(3 * 32);
    expect(claimsFor("mpe-psn", "fig1")).toHaveLength(4 * 5);
    expect(claimsFor("mpe-psn", "fig3b")).toHaveLength(12);
    // 3 hardware rows × (PSN 5 + k=2 5 + k=4 4 + k=8 3) seconds, + the H20 rows as ratios to PSN (5 + 4 + 3).
    expect(claimsFor("mulfree", "table11")).toHaveLength(3 * (5 + 5 + 4 + 3) + (5 + 4 + 3));
    expect(getClaim("mulfree:table11/ratio/k=2/T=32").value).toBe(+(153.95 / 102.42).toFixed(3));
    expect(claimsFor("mulfree", "table6")).toHaveLength(14);
    expect(claimsFor("imp", "fig1")).toHaveLength(21);
    expect(getClaim("imp:fig3/learnable/mappings").value).toBe(108);
    expect(getClaim("mulfree:table10/pixel-cifar10/sawtooth/k=17").value).toBe(84.89);
    expect(getClaim("mpe-psn:fig1/N=2^16/T=64").value).toBe(21.9);
    expect(() => getClaim("imp:fig9/x")).toThrow(/unknown claim id 'imp:fig9\/x'/);
  });
});
