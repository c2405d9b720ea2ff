/**
 * The authors' test-accuracy curve beside a training item's own run, epoch for epoch (both 0-based), so a
 * reduced-scale run can be compared with the published one at the same epochs. Reads the fetched archive
 * (`data/fetch/official-logs.ts --paper mpe-psn`); without it, a note says how to get it and no figure is drawn.
 * Same epochs is not same schedule: a 6-epoch cosine run is compared with the first epochs of a 230-epoch one.
 */
import { existsSync } from "node:fs";
import { lineChart } from "../../lib/plot/charts.js";
import type { ItemResult } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { fetchCommand, officialLogsDir } from "../official-logs.js";
import { readRun } from "./audit-read.js";
import { OFFICIAL_RUNS } from "./official-runs.js";

export interface OwnCurve {
  /** Official run id (./official-runs.ts). */
  run: string;
  /** Own test accuracy (%) per epoch, index = epoch (0-based). */
  testAcc: readonly number[];
}

export function authorsBeside(name: string, own: readonly OwnCurve[], scale: Scale): Pick<ItemResult, "figures" | "notes"> {
  const dir = officialLogsDir("mpe-psn");
  if (!existsSync(dir)) return { figures: [], notes: [`The authors' curves are not drawn beside this run: their logs are not fetched ('${fetchCommand("mpe-psn")}').`] };
  const rows: Record<string, unknown>[] = [];
  for (const o of own) {
    const run = OFFICIAL_RUNS.find((r) => r.id === o.run);
    if (!run) throw new Error(`authorsBeside: unknown official run '${o.run}'`);
    const byEpoch = new Map(readRun(dir, run).rows.map((r) => [r.epoch, r.testAcc?.value]));
    o.testAcc.forEach((acc, e) => {
      rows.push({ run: o.run, epoch: e, accuracy: acc, source: `spikelab (${scale})` });
      const theirs = byEpoch.get(e);
      if (theirs !== undefined) rows.push({ run: o.run, epoch: e, accuracy: theirs, source: "authors' log" });
    });
  }
  const epochs = Math.max(...own.map((o) => o.testAcc.length));
  return {
    figures: [{ name, spec: lineChart({ data: rows, x: "epoch", y: "accuracy", color: "run", strokeDash: "source", title: `Test accuracy: this run (${scale}) beside the authors' log, epochs 0..${epochs - 1}`, xTitle: "epoch (0-based, as the authors log it)", yTitle: "test accuracy (%)" }) }],
    notes: [`Beside the authors' logged test accuracy at the same epochs (${own.map((o) => o.run).join(", ")}; their schedule is 230 or 300 epochs, so early epochs differ in learning rate).`],
  };
}
