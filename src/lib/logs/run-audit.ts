/**
 * What a training run's logged curve says, independent of any paper: which epochs were logged (and by which
 * file), whether the run was resumed, the best and last test accuracy, and what the granularity of the
 * accuracies implies about the size of the scored test set.
 *
 * A run may be spread over several sources (a text log and event files written by a resumed process):
 * `mergeSources` joins them epoch by epoch, earlier sources winning, and counts the epochs where two sources
 * disagree by more than their rounding.
 */

/** The per-epoch quantities an audit reads. Accuracies in percent. */
export type Metric = "trainLoss" | "trainAcc" | "testAcc";
export const METRICS: readonly Metric[] = ["trainLoss", "trainAcc", "testAcc"];

/** A logged value and half the unit of its last written digit (its rounding; float32 storage for events). */
export interface Logged { value: number; halfUnit: number; source: string }

export type EpochRow = { epoch: number } & Partial<Record<Metric, Logged>>;

export interface Source {
  label: string;
  rows: EpochRow[];
  /** A running best the source reports at its first epoch (e.g. a "Best Test acc" line), if any. */
  firstRunningBest?: number;
}

export interface SourceSpan { label: string; first: number; last: number; count: number }

export interface Merged {
  rows: EpochRow[];
  spans: SourceSpan[];
  /** Epochs where two sources give the same metric values further apart than their roundings. */
  disagreements: { epoch: number; metric: Metric; values: Logged[] }[];
}

/** Half a unit of the last decimal of `v` as JavaScript writes it (96.528 → 0.0005; 100 → 0.5 is capped by `maxHalfUnit`). */
export function halfUnitOfWritten(v: number, maxHalfUnit = 0.5): number {
  const s = String(v);
  const d = s.includes("e") ? 0 : (s.split(".")[1]?.length ?? 0);
  return Math.min(0.5 / 10 ** d, maxHalfUnit);
}

export function mergeSources(sources: readonly Source[]): Merged {
  const byEpoch = new Map<number, EpochRow>();
  const disagreements: Merged["disagreements"] = [];
  const spans: SourceSpan[] = [];
  for (const s of sources) {
    if (s.rows.length) {
      const eps = s.rows.map((r) => r.epoch);
      spans.push({ label: s.label, first: Math.min(...eps), last: Math.max(...eps), count: new Set(eps).size });
    }
    for (const r of s.rows) {
      const row = byEpoch.get(r.epoch) ?? { epoch: r.epoch };
      for (const m of METRICS) {
        const v = r[m];
        if (!v) continue;
        const have = row[m];
        if (!have) row[m] = v;
        else if (Math.abs(have.value - v.value) > have.halfUnit + v.halfUnit + 1e-9) disagreements.push({ epoch: r.epoch, metric: m, values: [have, v] });
      }
      byEpoch.set(r.epoch, row);
    }
  }
  return { rows: [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch), spans, disagreements };
}

/**
 * The smallest test-set size N ≤ `maxN` for which every accuracy is k/N (within its rounding), or null.
 * With many distinct values the smallest such N is the number of samples scored; stated as an inference.
 */
export function accuracyDenominator(values: readonly Logged[], maxN = 20000): number | null {
  if (!values.length) return null;
  for (let n = 1; n <= maxN; n++) {
    let ok = true;
    for (const v of values) {
      const k = Math.round((v.value * n) / 100);
      if (Math.abs((100 * k) / n - v.value) > v.halfUnit + 1e-9) { ok = false; break; }
    }
    if (ok) return n;
  }
  return null;
}

export interface RunSummary {
  epochs: { first: number; last: number; count: number; missing: number[]; planned?: number };
  spans: SourceSpan[];
  resumed: boolean;
  resumedEvidence: string[];
  best: { value: number; epoch: number; source: string } | null;
  last: { value: number; epoch: number; source: string } | null;
  /** best − last, percentage points. */
  bestMinusLast: number | null;
  /** train accuracy − test accuracy at the best epoch, percentage points. */
  trainTestGapAtBest: number | null;
  /** Smallest N with every test accuracy = k/N (see accuracyDenominator). */
  testDenominator: number | null;
  distinctTestValues: number;
  disagreements: Merged["disagreements"];
}

/**
 * Summarise one run. `firstEpoch` is the index of a run's first epoch (0 when the training loop counts from
 * 0); a source starting later, or one whose running best at its first epoch exceeds every test accuracy it
 * logged up to then, marks the run as resumed.
 */
export function summariseRun(sources: readonly Source[], opts: { planned?: number; firstEpoch?: number } = {}): RunSummary {
  const merged = mergeSources(sources);
  const firstEpoch = opts.firstEpoch ?? 0;
  const eps = merged.rows.map((r) => r.epoch);
  const first = eps.length ? eps[0]! : NaN, last = eps.length ? eps[eps.length - 1]! : NaN;
  const have = new Set(eps);
  const missing: number[] = [];
  const end = opts.planned !== undefined ? firstEpoch + opts.planned - 1 : last;
  for (let e = firstEpoch; e <= end; e++) if (!have.has(e)) missing.push(e);
  const evidence: string[] = [];
  for (const s of sources) {
    if (!s.rows.length) continue;
    const f = Math.min(...s.rows.map((r) => r.epoch));
    if (f > firstEpoch) evidence.push(`${s.label} starts at epoch ${f}`);
    if (s.firstRunningBest !== undefined) {
      const firstTest = s.rows.find((r) => r.epoch === f)?.testAcc?.value;
      if (firstTest !== undefined && s.firstRunningBest > firstTest + 1e-9) evidence.push(`${s.label}: running best ${s.firstRunningBest} at its first epoch exceeds that epoch's test accuracy ${firstTest} (carried in from before)`);
    }
  }
  const tests = merged.rows.filter((r) => r.testAcc);
  let best: RunSummary["best"] = null;
  for (const r of tests) if (!best || r.testAcc!.value > best.value) best = { value: r.testAcc!.value, epoch: r.epoch, source: r.testAcc!.source };
  const lastRow = tests.length ? tests[tests.length - 1]! : null;
  const lastV = lastRow ? { value: lastRow.testAcc!.value, epoch: lastRow.epoch, source: lastRow.testAcc!.source } : null;
  const bestRow = best ? merged.rows.find((r) => r.epoch === best!.epoch) : undefined;
  return {
    epochs: { first, last, count: eps.length, missing, ...(opts.planned !== undefined ? { planned: opts.planned } : {}) },
    spans: merged.spans,
    resumed: evidence.length > 0,
    resumedEvidence: evidence,
    best,
    last: lastV,
    bestMinusLast: best && lastV ? best.value - lastV.value : null,
    trainTestGapAtBest: bestRow?.trainAcc && best ? bestRow.trainAcc.value - best.value : null,
    testDenominator: accuracyDenominator(tests.map((r) => r.testAcc!)),
    distinctTestValues: new Set(tests.map((r) => r.testAcc!.value)).size,
    disagreements: merged.disagreements,
  };
}

/** Every value of a metric with its epoch (for "nearest logged values" in a mismatch). */
export function metricValues(rows: readonly EpochRow[], m: Metric): { epoch: number; value: number }[] {
  return rows.filter((r) => r[m]).map((r) => ({ epoch: r.epoch, value: r[m]!.value }));
}
