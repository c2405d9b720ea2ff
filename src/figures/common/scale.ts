/**
 * What every training item's per-scale setting has in common (papers' settings extend it): the scale, the
 * data it reads (`synthetic` files in the real formats at `smoke`, the fetched data set above), and the
 * training length. Each paper's module says what else its scales change.
 */
import type { Scale } from "../../lib/repro/verdict.js";

export type DataSource = "synthetic" | "real";

export interface ScaledSetting {
  scale: Scale;
  data: DataSource;
  epochs: number;
  batchSize: number;
}

/** A scaled setting that trains on T steps of `size`² frames or images, the network's width scaled by `widthFactor`. */
export interface FrameSetting extends ScaledSetting {
  T: number;
  size: number;
  widthFactor: number;
}


/** The data a scale reads: synthetic files in the real formats at `smoke`, the fetched data set above. */
export function dataSourceFor(scale: Scale): DataSource {
  return scale === "smoke" ? "synthetic" : "real";
}
