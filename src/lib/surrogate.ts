/**
 * Surrogate-gradient spike functions.
 *
 * Forward: the Heaviside step Θ(x) (float32 0/1). Backward: upstream · g′(x), where g′ is a smooth
 * (or piecewise-linear) stand-in for the Dirac delta, so BPTT can flow through the threshold.
 *
 * | factory                 | g′(x)                                        | default | tie  | source                         |
 * |-------------------------|----------------------------------------------|---------|------|--------------------------------|
 * | `atan(α)`               | α / (2·(1 + (π/2·α·x)²))                     | α = 2   | `>=` | events-and-parity §1.3         |
 * | `sigmoid(α)`            | α·s·(1 − s), s = sigmoid(α·x)                | α = 4   | `>=` | events-and-parity §1.3         |
 * | `triangle(γ)` (ZIF)     | (1/γ)²·max(γ − |x|, 0)                       | γ = 1   | `>`  | papers.md §1.1                 |
 * | `rectangle(w)`          | (1/w)·1[|x| < w/2]                           | w = 1   | `>=` | STBP-style boxcar (see below)  |
 * | `inverseQuadratic(α)`   | 1 / (1 + α·x²)                               | α = 10  | `>=` | mul-free paper (papers.md §4)  |
 *
 * Tie rule (events-and-parity §7 item 1, papers.md §5): SpikingJelly's Θ fires at x = 0 (`>=`), the
 * legacy ZIF/TET/MPE-PSN code does not (`>`). Every factory takes the rule as an explicit option.
 * The rectangle surrogate has no single reference in the spec; we use the unit-area boxcar of width
 * `w` centred on the threshold (area 1 like every other g′ here).
 *
 * Each surrogate also carries a {@link SurrogateSpec} (`kind` + parameter) and a scalar derivative,
 * so the fused multi-step kernels (`neurons/kernels/seq-neuron.ts`) can evaluate g′ inside a typed-array loop.
 */
import { tf } from "./backend/tf.js";

export type TieRule = ">=" | ">";

export type SurrogateKind = "atan" | "sigmoid" | "triangle" | "rectangle" | "inverseQuadratic";

/** Serialisable description of a surrogate (used as a kernel attribute by the fused path). */
export interface SurrogateSpec {
  kind: SurrogateKind;
  /** α for atan/sigmoid/inverseQuadratic, γ for triangle, width for rectangle. */
  param: number;
}

export interface Surrogate {
  readonly name: string;
  readonly tie: TieRule;
  /** Forward: Heaviside Θ(x) with this tie rule (float32 0/1). Backward: upstream · g′(x). */
  spike(x: tf.Tensor): tf.Tensor;
  /** The surrogate derivative g′(x) (used by closed-form/fused backward passes). */
  grad(x: tf.Tensor): tf.Tensor;
  /** Kind + parameter; present on every surrogate made by this module (absent on user-made ones). */
  readonly spec?: SurrogateSpec;
  /** g′(x) for one float, evaluated in float64 (for typed-array kernels and tests). */
  gradScalar?(x: number): number;
}

const TIES: readonly TieRule[] = [">=", ">"];

function checkParam(fn: string, arg: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new Error(`surrogate.${fn}: ${arg} must be a finite number > 0, got ${String(v)}`);
  }
}

function checkTie(fn: string, tie: TieRule): void {
  if (!TIES.includes(tie)) {
    throw new Error(`surrogate.${fn}: tie must be ">=" or ">", got ${JSON.stringify(tie)}`);
  }
}

/** Θ(x) as float32 0/1 with the given tie rule (no gradient of its own). */
export function heaviside(x: tf.Tensor, tie: TieRule = ">="): tf.Tensor {
  return tf.tidy(() => tf.cast(tie === ">=" ? tf.greaterEqual(x, 0) : tf.greater(x, 0), "float32"));
}

/** Scalar Θ with a tie rule (used by kernels and tests). */
export function heavisideScalar(x: number, tie: TieRule): number {
  return tie === ">=" ? (x >= 0 ? 1 : 0) : x > 0 ? 1 : 0;
}

function make(
  name: string,
  tie: TieRule,
  spec: SurrogateSpec,
  grad: (x: tf.Tensor) => tf.Tensor,
  gradScalar: (x: number) => number,
): Surrogate {
  const spikeOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([x]);
    return {
      value: heaviside(x, tie),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, grad(saved[0]!)),
    };
  });
  return {
    name,
    tie,
    spec,
    spike: (x: tf.Tensor) => spikeOp(x),
    grad: (x: tf.Tensor) => tf.tidy(() => grad(x)),
    gradScalar,
  };
}

/** ATan(α): g′(x) = α / (2·(1 + (π/2·α·x)²)) (events-and-parity §1.3; the PSN-family default). */
export function atan(alpha = 2, tie: TieRule = ">="): Surrogate {
  checkParam("atan", "alpha", alpha);
  checkTie("atan", tie);
  const k = (Math.PI / 2) * alpha;
  return make(
    `ATan(alpha=${alpha})`,
    tie,
    { kind: "atan", param: alpha },
    (x) => tf.div(alpha / 2, tf.add(1, tf.square(tf.mul(x, k)))),
    (x) => alpha / (2 * (1 + (k * x) ** 2)),
  );
}

/** Sigmoid(α): g′(x) = α·s·(1 − s), s = sigmoid(α·x) (SpikingJelly's neuron default, α = 4). */
export function sigmoid(alpha = 4, tie: TieRule = ">="): Surrogate {
  checkParam("sigmoid", "alpha", alpha);
  checkTie("sigmoid", tie);
  return make(
    `Sigmoid(alpha=${alpha})`,
    tie,
    { kind: "sigmoid", param: alpha },
    (x) => {
      const s = tf.sigmoid(tf.mul(x, alpha));
      return tf.mul(tf.mul(s, tf.sub(1, s)), alpha);
    },
    (x) => {
      const s = 1 / (1 + Math.exp(-alpha * x));
      return alpha * s * (1 - s);
    },
  );
}

/**
 * Triangle / ZIF(γ): g′(x) = (1/γ)²·max(γ − |x|, 0); γ = 1 gives max(1 − |x|, 0).
 * Default tie `>` as the legacy TET/TEBN/IMP/MPE-PSN code (papers.md §1.1).
 */
export function triangle(gamma = 1, tie: TieRule = ">"): Surrogate {
  checkParam("triangle", "gamma", gamma);
  checkTie("triangle", tie);
  const c = 1 / (gamma * gamma);
  return make(
    `Triangle(gamma=${gamma})`,
    tie,
    { kind: "triangle", param: gamma },
    (x) => tf.mul(tf.relu(tf.sub(gamma, tf.abs(x))), c),
    (x) => c * Math.max(gamma - Math.abs(x), 0),
  );
}

/** Rectangle (boxcar) of width w: g′(x) = (1/w)·1[|x| < w/2] (unit area). */
export function rectangle(width = 1, tie: TieRule = ">="): Surrogate {
  checkParam("rectangle", "width", width);
  checkTie("rectangle", tie);
  return make(
    `Rectangle(width=${width})`,
    tie,
    { kind: "rectangle", param: width },
    (x) => tf.mul(tf.cast(tf.less(tf.abs(x), width / 2), "float32"), 1 / width),
    (x) => (Math.abs(x) < width / 2 ? 1 / width : 0),
  );
}

/** Inverse quadratic: g′(x) = 1 / (1 + α·x²), the multiplication-free PSN paper's surrogate. */
export function inverseQuadratic(alpha = 10, tie: TieRule = ">="): Surrogate {
  checkParam("inverseQuadratic", "alpha", alpha);
  checkTie("inverseQuadratic", tie);
  return make(
    `InverseQuadratic(alpha=${alpha})`,
    tie,
    { kind: "inverseQuadratic", param: alpha },
    (x) => tf.div(1, tf.add(1, tf.mul(tf.square(x), alpha))),
    (x) => 1 / (1 + alpha * x * x),
  );
}

/** Rebuild a surrogate from its spec (e.g. a kernel attribute or a saved config). */
export function surrogateFromSpec(spec: SurrogateSpec, tie: TieRule): Surrogate {
  switch (spec.kind) {
    case "atan": return atan(spec.param, tie);
    case "sigmoid": return sigmoid(spec.param, tie);
    case "triangle": return triangle(spec.param, tie);
    case "rectangle": return rectangle(spec.param, tie);
    case "inverseQuadratic": return inverseQuadratic(spec.param, tie);
    default:
      throw new Error(`surrogateFromSpec: unknown kind ${JSON.stringify((spec as { kind: unknown }).kind)}; ` +
        `expected atan, sigmoid, triangle, rectangle or inverseQuadratic`);
  }
}

/** Throws a clear error if `s` is not a Surrogate. */
export function assertSurrogate(where: string, s: unknown): asserts s is Surrogate {
  const o = s as Partial<Surrogate> | null;
  if (!o || typeof o.spike !== "function" || typeof o.grad !== "function" || !TIES.includes(o.tie as TieRule)) {
    throw new Error(`${where}: surrogate must be a Surrogate (e.g. atan(), sigmoid()), got ${String(s)}`);
  }
}
