// Run summaries on constructed curves: merging sources (earlier wins, disagreements counted), resume
// evidence, best = first epoch at the maximum, gaps, and the accuracy denominator N (k/N values).
import { describe, expect, it } from "vitest";
import { accuracyDenominator, halfUnitOfWritten, mergeSources, summariseRun, type EpochRow, type Source } from "../../src/lib/logs/run-audit.js";

const L = (value: number, source = "log", halfUnit = 0.0005) => ({ value, halfUnit, source });
const rows = (from: number, accs: number[], src = "log"): EpochRow[] => accs.map((a, i) => ({ epoch: from + i, testAcc: L(a, src), trainAcc: L(a + 10, src) }));
const round3 = (v: number) => Math.round(v * 1000) / 1000;

describe("run audit", () => {
  it("accuracyDenominator finds N = 992 from 3-decimal values of k/992, and N = 288 from float32 values", () => {
    const ks = [700, 811, 843, 838, 850, 851, 849, 812, 799, 845, 830];
    expect(accuracyDenominator(ks.map((k) => L(round3((100 * k) / 992))))).toBe(992);
    expect(accuracyDenominator([255, 270, 282, 281, 279, 260, 277].map((k) => L(Math.fround((100 * k) / 288), "ev", 1e-5)))).toBe(288);
    expect(accuracyDenominator([L(33.3333)], 2)).toBeNull();
    expect(accuracyDenominator([])).toBeNull();
  });
  it("halfUnitOfWritten reads the rounding of a written claim", () => {
    expect(halfUnitOfWritten(97.92)).toBeCloseTo(0.005, 12);
    expect(halfUnitOfWritten(84.476)).toBeCloseTo(0.0005, 12);
    expect(halfUnitOfWritten(150)).toBe(0.5);
  });
  it("merge: the earlier source wins; values further apart than both roundings are disagreements", () => {
    const a: Source = { label: "log", rows: rows(2, [50, 60]) };
    const b: Source = { label: "ev", rows: [{ epoch: 1, testAcc: L(40, "ev", 1e-5) }, { epoch: 2, testAcc: L(50.0003, "ev", 1e-5) }, { epoch: 3, testAcc: L(61, "ev", 1e-5) }] };
    const m = mergeSources([a, b]);
    expect(m.rows.map((r) => [r.epoch, r.testAcc!.value, r.testAcc!.source])).toEqual([[1, 40, "ev"], [2, 50, "log"], [3, 60, "log"]]);
    expect(m.disagreements).toEqual([{ epoch: 3, metric: "testAcc", values: [L(60), L(61, "ev", 1e-5)] }]);
    expect(m.spans).toEqual([{ label: "log", first: 2, last: 3, count: 2 }, { label: "ev", first: 1, last: 3, count: 3 }]);
  });
  it("a fresh run: not resumed; best is the first epoch at the maximum; gaps", () => {
    const s = summariseRun([{ label: "log", rows: rows(0, [30, 70, 80, 80, 75]), firstRunningBest: 30 }], { planned: 6 });
    expect(s.resumed).toBe(false);
    expect(s.best).toEqual({ value: 80, epoch: 2, source: "log" });
    expect(s.last).toEqual({ value: 75, epoch: 4, source: "log" });
    expect(s.bestMinusLast).toBe(5);
    expect(s.trainTestGapAtBest).toBe(10);
    expect(s.epochs).toEqual({ first: 0, last: 4, count: 5, missing: [5], planned: 6 });
  });
  it("a resumed run: a source starting mid-way, and a running best carried in from before", () => {
    const s = summariseRun([{ label: "log", rows: rows(3, [70, 72]), firstRunningBest: 75 }, { label: "ev", rows: rows(0, [40, 75, 60], "ev") }]);
    expect(s.resumed).toBe(true);
    expect(s.resumedEvidence).toEqual(["log starts at epoch 3", "log: running best 75 at its first epoch exceeds that epoch's test accuracy 70 (carried in from before)"]);
    expect(s.best).toEqual({ value: 75, epoch: 1, source: "ev" });
    expect(s.epochs.missing).toEqual([]);
  });
});
