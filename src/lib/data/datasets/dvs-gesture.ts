/**
 * DVS128 Gesture (events-and-parity §1.6, §3.1, §7 item 8; papers §2.4).
 *
 * Layout (publisher's `DvsGesture/` folder): `userXX_<light>.aedat` (AEDAT 3.1), beside each a
 * `userXX_<light>_labels.csv` (`class,startTime_usec,endTime_usec`, one header row, classes 1..11), and
 * `trials_to_train.txt` / `trials_to_test.txt` (one `.aedat` name per line). Each CSV row is one sample:
 * the events with `startTime_usec ≤ t < endTime_usec` (an event exactly at the end is excluded). Its id is
 * `<file stem>_<k>` where k counts earlier rows of the same class in that file (classes repeat, e.g.
 * `user26_fluorescent`). The official lists give 1176 train / 288 test samples (SJ, snnTorch).
 *
 * Targets and the label trap: our target is **`csv_class − 1`** (numeric order, `DVS_GESTURE_CLASSES`).
 * SpikingJelly returns the index of the string-sorted folder name instead (`'10'` → 2); pass
 * `labelOrder: "spikingjelly"` to get SJ's targets for parity, or map with
 * `spikingjellyStringSortedTargets(11)`. Sample order: trials file order, then CSV row order.
 *
 * Validation (issue #20, DECISIONS "Hardening"): the labels CSV must start with its header row, and every
 * row must be three plain decimal integers (no empty field, hex or exponent) with a class in 1..11 and
 * `end > start`, and no two windows of a file may overlap; each failure is a {@link TextFileError} naming
 * the CSV and the line. A file with no gesture row is an error. When a sample is loaded, its window must
 * overlap the recording (an error naming the CSV line otherwise) and hold at least one event (the label
 * promises a gesture). It may run past either end of the recording: whether the release's labels always lie
 * within the event stream is unverified, and the events inside the window are well defined either way.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { TextFileError } from "../errors.js";
import { timeWindow, type Events } from "../events.js";
import { readAedat3File } from "../formats/aedat3.js";
import { LastFileMemo, requireEvents, spikingjellyStringSortedTargets, type EventDataset, type SampleRef } from "./common.js";

export const DVS_GESTURE_CLASSES = [
  "hand_clapping", "right_hand_wave", "left_hand_wave", "right_arm_clockwise", "right_arm_counter_clockwise",
  "left_arm_clockwise", "left_arm_counter_clockwise", "arm_roll", "air_drums", "air_guitar", "other_gestures",
] as const;
export const DVS_GESTURE_SENSOR = { height: 128, width: 128 } as const;

export interface GestureLabelRow {
  /** CSV class, 1..11. */
  cls: number;
  start: number;
  end: number;
  /** 1-based line of the row in the CSV. */
  line: number;
}

/** The header row of every `_labels.csv` of the release. */
export const GESTURE_LABELS_HEADER = "class,startTime_usec,endTime_usec";
const DECIMAL = /^\d+$/;

/**
 * Parse and validate a `_labels.csv` (see module doc): header row first, blank lines ignored, every row
 * `class,startTime_usec,endTime_usec` as decimal integers, class in 1..11, `end > start`, windows disjoint.
 */
export function parseGestureLabels(text: string, file: string): GestureLabelRow[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const rows: GestureLabelRow[] = [];
  let header = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    if (!header) {
      if (line.split(",").map((f) => f.trim().toLowerCase()).join(",") !== GESTURE_LABELS_HEADER.toLowerCase()) {
        throw new TextFileError(file, i + 1, `the header row '${GESTURE_LABELS_HEADER}'`, `'${line}'`);
      }
      header = true;
      continue;
    }
    const parts = line.split(",").map((f) => f.trim());
    if (parts.length !== 3 || !parts.every((f) => DECIMAL.test(f))) {
      throw new TextFileError(file, i + 1, "'class,startTime_usec,endTime_usec' as three decimal integers", `'${line}'`);
    }
    const [cls, start, end] = parts.map(Number) as [number, number, number];
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
      throw new TextFileError(file, i + 1, "times below 2^53 µs", `'${line}'`);
    }
    if (cls < 1 || cls > 11) throw new TextFileError(file, i + 1, "a class in 1..11", `${cls}`);
    if (end <= start) throw new TextFileError(file, i + 1, "endTime_usec > startTime_usec (a non-empty window)", `start ${start}, end ${end}`);
    rows.push({ cls, start, end, line: i + 1 });
  }
  if (!header) throw new TextFileError(file, 1, `the header row '${GESTURE_LABELS_HEADER}'`, "an empty file");
  if (rows.length === 0) throw new TextFileError(file, 2, "at least one gesture row after the header", "none");
  const byStart = [...rows].sort((a, b) => a.start - b.start || a.line - b.line);
  for (let k = 1; k < byStart.length; k++) {
    const prev = byStart[k - 1]!, r = byStart[k]!;
    if (r.start < prev.end) {
      throw new TextFileError(file, r.line, `a window that starts at or after the end of the window on line ${prev.line} (${prev.end})`,
        `[${r.start}, ${r.end}), which overlaps [${prev.start}, ${prev.end})`);
    }
  }
  return rows;
}

export interface DvsGestureOptions {
  /** Folder holding `DvsGesture/` (or the `DvsGesture` folder itself). */
  root: string;
  train: boolean;
  labelOrder?: "numeric" | "spikingjelly";
}

export class DvsGesture implements EventDataset {
  readonly name = "dvs-gesture";
  readonly sensor = DVS_GESTURE_SENSOR;
  readonly classes: readonly string[] = DVS_GESTURE_CLASSES;
  readonly decodeParams = { format: "aedat3.1" };
  private readonly memo = new LastFileMemo();

  private constructor(readonly dir: string, readonly split: string, readonly samples: readonly SampleRef[]) {}

  /** Folder that contains `trials_to_train.txt`. */
  static locate(root: string): string {
    for (const d of [join(root, "DvsGesture"), root]) if (existsSync(join(d, "trials_to_train.txt"))) return d;
    throw new Error(`DvsGesture: no trials_to_train.txt in ${join(root, "DvsGesture")} or ${root}; expected the extracted DvsGesture/ folder`);
  }

  static async open(o: DvsGestureOptions): Promise<DvsGesture> {
    const dir = DvsGesture.locate(o.root);
    const split = o.train ? "train" : "test";
    const listFile = join(dir, `trials_to_${split}.txt`);
    const names = (await readFile(listFile, "utf8")).split(/\r?\n/).map((s) => s.trim()).filter((s) => s.endsWith(".aedat"));
    const sj = spikingjellyStringSortedTargets(11);
    const samples: SampleRef[] = [];
    for (const name of names) {
      const file = join(dir, name);
      if (!existsSync(file)) throw new Error(`${listFile}: lists ${name}, but ${file} does not exist`);
      const stem = basename(name, ".aedat");
      const csv = join(dir, `${stem}_labels.csv`);
      if (!existsSync(csv)) throw new Error(`DvsGesture: labels file ${csv} for ${name} does not exist`);
      const rows = parseGestureLabels(await readFile(csv, "utf8"), csv);
      const seen = new Map<number, number>();
      for (const r of rows) {
        const k = seen.get(r.cls) ?? 0;
        seen.set(r.cls, k + 1);
        const target = o.labelOrder === "spikingjelly" ? sj[r.cls - 1]! : r.cls - 1;
        samples.push({ id: `${stem}_${r.cls - 1}_${k}`, file, label: target, start: r.start, end: r.end, origin: { file: csv, line: r.line } });
      }
    }
    return new DvsGesture(dir, split, samples);
  }

  /** The events of a sample's window; a window outside the recording, or holding no event, is an error. */
  async loadEvents(ref: SampleRef): Promise<Events> {
    const ev = await this.memo.get(ref.file, (f) => readAedat3File(f));
    if (ref.start === undefined) return requireEvents(ev, ref);
    const win = timeWindow(ev, ref.start, ref.end ?? Infinity);
    const { min, max } = timeRange(ev.t);
    if (ev.t.length > 0 && (ref.start > max || (ref.end ?? Infinity) <= min) && ref.origin) {
      throw new TextFileError(ref.origin.file, ref.origin.line, `a window overlapping the recording ${ref.file} (events from ${min} to ${max} µs)`,
        `[${ref.start}, ${ref.end})`);
    }
    return requireEvents(win, ref);
  }
}

/** Earliest and latest time (events need not be sorted). */
function timeRange(t: Float64Array): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < t.length; i++) { const v = t[i]!; if (v < min) min = v; if (v > max) max = v; }
  return { min, max };
}
