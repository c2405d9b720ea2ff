/**
 * The authors' curves as vega-lite: train loss, train accuracy and test accuracy per epoch (rows), one column
 * per dataset, runs coloured, and each claim that names a run drawn as a black diamond at the epoch its
 * selection rule points to (the best epoch, or epoch 0 for a first-epoch loss).
 */
import type { Metric } from "../../lib/logs/run-audit.js";
import { VEGA_LITE_SCHEMA } from "../../lib/plot/charts.js";
import type { VegaLiteSpec } from "../../lib/plot/render.js";
import type { Claim } from "../../lib/repro/claims.js";
import type { RunRead } from "./audit-read.js";
import { DATASET_TITLES } from "./official-runs.js";

export const METRIC_TITLES: Record<Metric, string> = { trainLoss: "train loss (summed over the epoch)", trainAcc: "train accuracy (%)", testAcc: "test accuracy (%)" };

export function authorsCurveRows(reads: readonly RunRead[]): Record<string, unknown>[] {
  return reads.flatMap((r) => r.rows.flatMap((row) => (Object.keys(METRIC_TITLES) as Metric[]).filter((m) => row[m]).map((m) => ({
    dataset: DATASET_TITLES[r.run.dataset], run: r.run.id, epoch: row.epoch, metric: METRIC_TITLES[m], value: row[m]!.value, kind: "logged",
  }))));
}

export function claimPoints(reads: readonly RunRead[], claims: readonly Claim[]): Record<string, unknown>[] {
  const byId = new Map(reads.map((r) => [r.run.id, r]));
  return claims.flatMap((c) => {
    const r = c.log ? byId.get(c.log.run) : undefined;
    if (!r || c.log!.selection === "epoch-of-best" || c.log!.selection === "comment") return [];
    const metric = c.log!.metric ?? "testAcc";
    const epoch = c.log!.selection === "first-epoch" ? 0 : c.log!.selection === "last-epoch" ? r.summary.last?.epoch : r.summary.best?.epoch;
    if (epoch === undefined) return [];
    return [{ dataset: DATASET_TITLES[r.run.dataset], run: r.run.id, epoch, metric: METRIC_TITLES[metric], value: c.value, kind: "claim", claim: c.id }];
  });
}

export function authorsCurvesSpec(reads: readonly RunRead[], claims: readonly Claim[], subtitle: string): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: "MPE-PSN: the authors' logged training curves, claims as ◆", subtitle },
    data: { values: [...authorsCurveRows(reads), ...claimPoints(reads, claims)] },
    facet: { row: { field: "metric", type: "nominal", title: null, sort: Object.values(METRIC_TITLES) }, column: { field: "dataset", type: "nominal", title: null } },
    spec: {
      width: 220, height: 150,
      layer: [
        { transform: [{ filter: "datum.kind === 'logged'" }], mark: { type: "line", strokeWidth: 1.2 }, encoding: {
          x: { field: "epoch", type: "quantitative", title: "epoch (as logged, 0-based)" },
          y: { field: "value", type: "quantitative", title: "logged value (metric: row label)", scale: { zero: false } },
          color: { field: "run", type: "nominal", title: "run" },
        } },
        { transform: [{ filter: "datum.kind === 'claim'" }], mark: { type: "point", shape: "diamond", filled: true, size: 70, color: "black" }, encoding: {
          x: { field: "epoch", type: "quantitative", title: "epoch (as logged, 0-based)" }, y: { field: "value", type: "quantitative", title: "logged value (metric: row label)" }, tooltip: [{ field: "claim" }, { field: "value" }],
        } },
      ],
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}
