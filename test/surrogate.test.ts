// Surrogates: forward Heaviside with the tie rule, backward g′ (events-and-parity §1.3, §7 items 1-2; papers.md §1.1, §5).
import { describe, expect, it } from "vitest";
import { tf } from "../src/lib/backend/tf.js";
import {
  atan, heaviside, inverseQuadratic, rectangle, sigmoid, surrogateFromSpec, triangle, type Surrogate,
} from "../src/lib/surrogate.js";

const xs = [-2, -0.75, -0.3, -1e-3, 0, 1e-3, 0.3, 0.5, 0.75, 2];

function autodiffGrad(s: Surrogate, x: number[]): number[] {
  return tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(s.spike(t)))(tf.tensor1d(x)).dataSync()));
}

describe("surrogate forward (Heaviside, tie rule)", () => {
  it("fires at x = 0 with '>=' (SpikingJelly) and not with '>' (legacy ZIF / MPE-PSN)", () => {
    const x = tf.tensor1d([-1, -1e-7, 0, 1e-7, 1]);
    expect(Array.from(atan().spike(x).dataSync())).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(sigmoid().spike(x).dataSync())).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(triangle().spike(x).dataSync())).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(atan(2, ">").spike(x).dataSync())).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(triangle(1, ">=").spike(x).dataSync())).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(heaviside(x, ">").dataSync())).toEqual([0, 0, 0, 1, 1]);
    expect(atan().spike(x).dtype).toBe("float32");
    x.dispose();
  });

  it("defaults: tie '>=' except triangle ('>')", () => {
    expect([atan(), sigmoid(), triangle(), rectangle(), inverseQuadratic()].map((s) => s.tie))
      .toEqual([">=", ">=", ">", ">=", ">="]);
    expect(atan().name).toBe("ATan(alpha=2)");
  });
});

describe("surrogate backward g′", () => {
  const cases: Array<[string, Surrogate, (x: number) => number]> = [
    ["ATan(2)", atan(2), (x) => 2 / (2 * (1 + ((Math.PI / 2) * 2 * x) ** 2))],
    ["ATan(3)", atan(3), (x) => 3 / (2 * (1 + ((Math.PI / 2) * 3 * x) ** 2))],
    ["Sigmoid(4)", sigmoid(4), (x) => { const s = 1 / (1 + Math.exp(-4 * x)); return 4 * s * (1 - s); }],
    ["Triangle(1)", triangle(1), (x) => Math.max(1 - Math.abs(x), 0)],
    ["Triangle(0.5)", triangle(0.5), (x) => 4 * Math.max(0.5 - Math.abs(x), 0)],
    ["Rectangle(1)", rectangle(1), (x) => (Math.abs(x) < 0.5 ? 1 : 0)],
    ["InverseQuadratic(10)", inverseQuadratic(10), (x) => 1 / (1 + 10 * x * x)],
  ];
  for (const [name, s, ref] of cases) {
    it(`${name}: autodiff through spike == grad() == gradScalar == formula`, () => {
      const expected = xs.map(ref);
      const viaGrad = Array.from(tf.tidy(() => s.grad(tf.tensor1d(xs))).dataSync());
      const viaAutodiff = autodiffGrad(s, xs);
      for (let i = 0; i < xs.length; i++) {
        expect(viaGrad[i]).toBeCloseTo(expected[i]!, 5);
        expect(viaAutodiff[i]).toBeCloseTo(expected[i]!, 5);
        expect(s.gradScalar!(xs[i]!)).toBeCloseTo(expected[i]!, 12);
      }
    });
  }

  it("hand values: ATan(2)′(0) = 1, Sigmoid(4)′(0) = 1, Triangle(1)′(0.5) = 0.5, InvQuad(10)′(0.5) = 1/3.5", () => {
    expect(atan(2).gradScalar!(0)).toBe(1);
    expect(sigmoid(4).gradScalar!(0)).toBe(1);
    expect(triangle(1).gradScalar!(0.5)).toBe(0.5);
    expect(inverseQuadratic(10).gradScalar!(0.5)).toBeCloseTo(1 / 3.5, 12);
  });

  it("g′ integrates to 1 (unit-area surrogates)", () => {
    const area = (s: Surrogate, L: number, n = 400_000) => {
      let a = 0; const dx = (2 * L) / n;
      for (let i = 0; i < n; i++) a += s.gradScalar!(-L + (i + 0.5) * dx) * dx;
      return a;
    };
    expect(area(sigmoid(4), 20)).toBeCloseTo(1, 6);
    expect(area(triangle(0.7), 2)).toBeCloseTo(1, 6);
    expect(area(rectangle(0.4), 1)).toBeCloseTo(1, 4);
    expect(area(atan(2), 2000)).toBeCloseTo(1, 3);
  });

  it("surrogateFromSpec rebuilds the same surrogate", () => {
    for (const s of [atan(3, ">"), sigmoid(2), triangle(0.5), rectangle(2), inverseQuadratic(5)]) {
      const r = surrogateFromSpec(s.spec!, s.tie);
      expect(r.name).toBe(s.name);
      expect(r.gradScalar!(0.123)).toBe(s.gradScalar!(0.123));
    }
  });
});

describe("surrogate bad input", () => {
  it("names the argument and what was expected", () => {
    expect(() => atan(0)).toThrow(/atan: alpha must be a finite number > 0, got 0/);
    expect(() => sigmoid(Number.NaN)).toThrow(/sigmoid: alpha/);
    expect(() => triangle(-1)).toThrow(/triangle: gamma/);
    expect(() => rectangle(1, "=" as never)).toThrow(/rectangle: tie must be ">=" or ">"/);
  });
});
