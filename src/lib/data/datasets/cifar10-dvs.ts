/**
 * CIFAR10-DVS, original AEDAT 2.0 release (events-and-parity §1.6, §3.2, §7 item 7; papers §2.4, §3.5).
 *
 * Layout: `<root>/<class>/cifar10_<class>_<i>.aedat`, i = 0..999, classes in the order of
 * {@link CIFAR10_DVS_CLASSES} (alphabetical, so SJ's string sort agrees: airplane = 0 … truck = 9).
 * Canvas 128×128; default decoding is SJ's orientation (`aedat2.ts`).
 *
 * Splits (`split`):
 * - `"tebn"` (default; TEBN/PSN/MPE-PSN/IMP-48): files 0–99 of each class are test, 100–999 train;
 * - `"seeded"`: per class, files ordered by index are shuffled with our `Rng(seed)` stream and the first
 *   ⌊ratio·n⌋ are train. This does **not** reproduce amazing-cls's NumPy legacy MT19937 shuffle
 *   (papers §3.5); for exact parity pass `splitList` (a committed list);
 * - `"lexicographic"`: SJ `split_to_train_test_set(0.9)` without shuffling — the first ⌈ratio·n⌉ files
 *   of each class in **string** order (`_0, _1, _10, _100, …`), the SEW-ResNet recipe;
 * - `"list"`: `splitList` JSON `{ "train": [...], "test": [...] }` of paths relative to root;
 * - `"all"`: every file (split name "all").
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Events } from "../events.js";
import { readAedat2File, type Aedat2Orientation } from "../formats/aedat2.js";
import { parseSplitList, requireEvents, type EventDataset, type SampleRef, seededClassSplit } from "./common.js";

export const CIFAR10_DVS_CLASSES = [
  "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
] as const;
export const CIFAR10_DVS_SENSOR = { height: 128, width: 128 } as const;

export type Cifar10DvsSplit = "tebn" | "seeded" | "lexicographic" | "list" | "all";

export interface Cifar10DvsOptions {
  root: string;
  train?: boolean;
  split?: Cifar10DvsSplit;
  seed?: number;
  trainRatio?: number;
  splitList?: string;
  orientation?: Aedat2Orientation;
  /**
   * Accept class folders that are missing or hold no `.aedat` file (a partial download, a quick test on a few
   * classes); their class indices stay as in {@link CIFAR10_DVS_CLASSES}. Default `false`: an error naming the folder.
   */
  allowMissingClasses?: boolean;
}

/** Index i of `cifar10_<class>_<i>.aedat`, or NaN. */
export function cifarFileIndex(name: string): number {
  const m = /_(\d+)\.aedat$/.exec(name);
  return m ? Number(m[1]) : NaN;
}

export class Cifar10Dvs implements EventDataset {
  readonly name = "cifar10-dvs";
  readonly sensor = CIFAR10_DVS_SENSOR;
  readonly classes: readonly string[] = CIFAR10_DVS_CLASSES;
  private constructor(
    readonly root: string, readonly split: string, readonly samples: readonly SampleRef[],
    readonly decodeParams: Record<string, unknown>,
  ) {}

  /** Every file per class, sorted by numeric index; a missing or empty class folder is an error unless `allowMissing`. */
  static listFiles(root: string, allowMissing = false): string[][] {
    return CIFAR10_DVS_CLASSES.map((c) => {
      const dir = join(root, c);
      const hint = "expected <root>/<class>/cifar10_<class>_<i>.aedat for all 10 classes (pass allowMissingClasses: true to go without it)";
      if (!existsSync(dir)) {
        if (allowMissing) return [];
        throw new Error(`Cifar10Dvs: class folder ${dir} is missing; ${hint}`);
      }
      const files = readdirSync(dir).filter((f) => f.endsWith(".aedat"))
        .sort((a, b) => cifarFileIndex(a) - cifarFileIndex(b) || (a < b ? -1 : a > b ? 1 : 0))
        .map((f) => join(dir, f));
      if (files.length === 0 && !allowMissing) throw new Error(`Cifar10Dvs: class folder ${dir} holds no .aedat file; ${hint}`);
      return files;
    });
  }

  static async open(o: Cifar10DvsOptions): Promise<Cifar10Dvs> {
    const kind = o.split ?? "tebn";
    const train = o.train ?? true;
    const ratio = o.trainRatio ?? 0.9;
    if (!(ratio > 0 && ratio < 1)) throw new Error(`Cifar10Dvs: trainRatio must be in (0, 1), got ${ratio}`);
    const perClass = Cifar10Dvs.listFiles(o.root, o.allowMissingClasses ?? false);
    let chosen: string[][];
    if (kind === "all") chosen = perClass;
    else if (kind === "tebn") chosen = perClass.map((fs) => fs.filter((f) => (cifarFileIndex(f) >= 100) === train));
    else if (kind === "seeded") {
      chosen = seededClassSplit(perClass, o.seed ?? 0, ratio, train);
    } else if (kind === "lexicographic") {
      chosen = perClass.map((fs) => {
        const s = [...fs].sort();
        const k = Math.ceil(ratio * s.length);
        return train ? s.slice(0, k) : s.slice(k);
      });
    } else if (kind === "list") {
      if (!o.splitList) throw new Error("Cifar10Dvs: split 'list' needs splitList (path of a JSON split list)");
      const lst = parseSplitList(await readFile(o.splitList, "utf8"), o.splitList);
      const want = new Set(train ? lst.train : lst.test);
      chosen = perClass.map((fs) => fs.filter((f) => want.has(relative(o.root, f).split("\\").join("/"))));
    } else throw new Error(`Cifar10Dvs: split must be one of tebn, seeded, lexicographic, list, all; got '${String(kind)}'`);
    const samples: SampleRef[] = [];
    chosen.forEach((fs, c) => fs.forEach((f) => samples.push({ id: relative(o.root, f).replace(/\.aedat$/, ""), file: f, label: c })));
    const splitName = kind === "all" ? "all" : `${kind}${kind === "seeded" ? `-${o.seed ?? 0}` : ""}-${train ? "train" : "test"}`;
    return new Cifar10Dvs(o.root, splitName, samples, { format: "aedat2", orientation: o.orientation ?? "spikingjelly" });
  }

  /** The file's events; a file without events is an error (a labelled sample promises a recording). */
  async loadEvents(ref: SampleRef): Promise<Events> {
    return requireEvents(await readAedat2File(ref.file, { orientation: this.decodeParams.orientation as Aedat2Orientation }), ref);
  }
}
