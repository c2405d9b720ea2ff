/**
 * Claims: the numeric statements of a paper that a reproduction checks. This module knows no paper; each
 * paper's claims live beside its figures (`src/figures/<paper>/claims.ts`) and reach the runner through a
 * {@link Registry} (`./registry.ts`).
 *
 * `kind` says how a claim can be checked:
 * - `exact`: deterministic counts (spike counts, mapping counts, receptive fields) — tolerance 0;
 * - `formula`: closed forms and figures derived from stated counts — relative 1e-3 (paper rounding);
 * - `digitised`: read off a figure image, ±0.2 units (trained/timing values);
 * - `timing`: speed ratios on the paper's hardware; CPU ratios are compared with a loose tolerance and the
 *   report says the hardware differs;
 * - `trained`: accuracies of training runs — verdicts only at the `paper` scale (toolchain §9: ε per task);
 * - `reference`: other methods' numbers quoted by a paper, kept for completeness, never reproduced.
 */
export type ClaimKind = "exact" | "formula" | "digitised" | "timing" | "trained" | "reference";

export interface Tolerance {
  abs?: number;
  rel?: number;
}

/**
 * How a claim's number was selected from the authors' released run: the best test value over all epochs
 * (a model selected on the test set), the epoch where that best occurs, the last epoch, the first epoch, or a
 * number written as a comment beside the run command (no log released; rule unknown).
 */
export type LogSelection = "best-over-epochs" | "epoch-of-best" | "last-epoch" | "first-epoch" | "comment";

/** Where a claim's number sits in the authors' released logs; audited by the paper's `audit` item. */
export interface ClaimLog {
  /** The audit's run id (e.g. `cifar10dvs/T4`). */
  run: string;
  /** Path of the log inside the authors' repository at the pinned commit. */
  file: string;
  selection: LogSelection;
  /** Logged quantity (default: test accuracy). */
  metric?: "testAcc" | "trainAcc" | "trainLoss";
  /** `claim-tolerance` for a value read off a figure (matched within the claim's tolerance, not its written digits). */
  match?: "as-written" | "claim-tolerance";
}

export interface Claim {
  /** `<paper>:<item>/<key>`. */
  id: string;
  paper: string;
  item: string;
  setting: string;
  quantity: string;
  value: number;
  unit: string;
  source: string;
  tolerance: Tolerance;
  kind: ClaimKind;
  /** The authors' log this number comes from, and the selection rule (accuracy claims with a released log). */
  log?: ClaimLog;
}

/** A paper of the registry: its id (the prefix of its items' and claims' ids) and full title. */
export interface Paper {
  id: string;
  title: string;
}

/** Accuracy tolerance for trained claims, in percentage points (run-to-run spread of these benchmarks). */
export const TRAINED_EPS_PP = 1.0;

/** The tolerance of each kind of claim, unless a claim states its own. */
export const TOLERANCES = {
  trained: { abs: TRAINED_EPS_PP },
  exact: { abs: 0 },
  digitised: { abs: 0.2 },
  formula: { rel: 1e-3 },
  /** Speed ratios from a GPU compared with ratios on this CPU: only the magnitude can be expected to agree. */
  timing: { rel: 0.5 },
} as const satisfies Record<string, Tolerance>;

/** The fields of a claim as a paper's claims file writes them: its id is `<paper>:<item>/<key>`. */
export type ClaimEntry = Omit<Claim, "id" | "paper"> & { key: string };

/**
 * Collects one paper's claims: `const { add, claims } = claimList("mulfree")`, then one `add` per claim.
 */
export function claimList(paper: string): { add(c: ClaimEntry): void; claims: Claim[] } {
  const claims: Claim[] = [];
  return {
    claims,
    add(c) {
      const { key, ...rest } = c;
      claims.push({ id: `${paper}:${c.item}/${key}`, paper, ...rest });
    },
  };
}
