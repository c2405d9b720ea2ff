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
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { timeWindow, type Events } from "../events.js";
import { readAedat3File } from "../formats/aedat3.js";
import { LastFileMemo, spikingjellyStringSortedTargets, type EventDataset, type SampleRef } from "./common.js";

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
}

/** Parse a `_labels.csv` (header row skipped; blank lines ignored). */
export function parseGestureLabels(text: string, file: string): GestureLabelRow[] {
  const lines = text.split(/\r?\n/);
  const rows: GestureLabelRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const parts = line.split(",").map((s) => s.trim());
    const nums = parts.map(Number);
    if (parts.length !== 3 || nums.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new Error(`${file}: line ${i + 1}: expected 'class,startTime_usec,endTime_usec' (non-negative integers), found '${line}'`);
    }
    const [cls, start, end] = nums as [number, number, number];
    if (cls < 1 || cls > 11) throw new Error(`${file}: line ${i + 1}: class must be in 1..11, found ${cls}`);
    rows.push({ cls, start, end });
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
        samples.push({ id: `${stem}_${r.cls - 1}_${k}`, file, label: target, start: r.start, end: r.end });
      }
    }
    return new DvsGesture(dir, split, samples);
  }

  async loadEvents(ref: SampleRef): Promise<Events> {
    const ev = await this.memo.get(ref.file, (f) => readAedat3File(f));
    return ref.start === undefined ? ev : timeWindow(ev, ref.start, ref.end ?? Infinity);
  }
}
