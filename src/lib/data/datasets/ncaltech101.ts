/**
 * N-Caltech101 (events-and-parity §1.6, §3.3, §7 item 9; papers §2.4, §3.5).
 *
 * Layout: `<root>/Caltech101/<class>/image_NNNN.bin` (ATIS). Canvas H = 180, W = 240 (SJ `get_H_W`), no
 * min-shift of x/y; overflow rule `"none"` by default (`atis.ts`).
 *
 * Classes: folder names in **ASCII** order, as SJ/torchvision sort them (upper-case first:
 * `Faces_easy`, `Leopards`, `Motorbikes`, then `accordion`, …). `BACKGROUND_Google` is left out by
 * default so K = 101 as the IMP configs assume (whether SJ keeps it is unverified, papers §1.4); pass
 * `includeBackground: true` to keep every folder.
 *
 * Splits: `"seeded"` (default; per class a shuffle of the files by our `Rng(seed)` stream, first
 * ⌊ratio·n⌋ train — the IMP 9:1 protocol, not bit-identical to its NumPy/`os.listdir` order, so use
 * `splitList` for exact parity); `"mpe"` (MPE-PSN `move_data.py`: files `image_0001 … image_⌊0.1·n⌋` of
 * each class are test); `"list"`; `"all"`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Events } from "../events.js";
import { readAtisFile, type AtisOverflow } from "../formats/atis.js";
import { parseSplitList, requireEvents, type EventDataset, type SampleRef, seededClassSplit } from "./common.js";

export const NCALTECH101_SENSOR = { height: 180, width: 240 } as const;
export const NCALTECH101_BACKGROUND = "BACKGROUND_Google";

export type NCaltech101Split = "seeded" | "mpe" | "list" | "all";

export interface NCaltech101Options {
  root: string;
  train?: boolean;
  split?: NCaltech101Split;
  seed?: number;
  trainRatio?: number;
  splitList?: string;
  includeBackground?: boolean;
  overflow?: AtisOverflow;
}

function imageIndex(name: string): number {
  const m = /(\d+)\.bin$/.exec(name);
  return m ? Number(m[1]) : NaN;
}

export class NCaltech101 implements EventDataset {
  readonly name = "ncaltech101";
  readonly sensor = NCALTECH101_SENSOR;
  private constructor(
    readonly root: string, readonly split: string, readonly classes: readonly string[],
    readonly samples: readonly SampleRef[], readonly decodeParams: Record<string, unknown>,
  ) {}

  /** Folder that holds the class folders. */
  static locate(root: string): string {
    const d = join(root, "Caltech101");
    if (existsSync(d)) return d;
    throw new Error(`NCaltech101: ${d} does not exist; expected <root>/Caltech101/<class>/image_NNNN.bin`);
  }

  static async open(o: NCaltech101Options): Promise<NCaltech101> {
    const dir = NCaltech101.locate(o.root);
    const kind = o.split ?? "seeded";
    const train = o.train ?? true;
    const ratio = o.trainRatio ?? 0.9;
    if (!(ratio > 0 && ratio < 1)) throw new Error(`NCaltech101: trainRatio must be in (0, 1), got ${ratio}`);
    const classes = readdirSync(dir)
      .filter((c) => statSync(join(dir, c)).isDirectory() && (o.includeBackground || c !== NCALTECH101_BACKGROUND))
      .sort();
    if (classes.length === 0) throw new Error(`NCaltech101: no class folders in ${dir}`);
    const perClass = classes.map((c) => readdirSync(join(dir, c)).filter((f) => f.endsWith(".bin"))
      .sort((a, b) => imageIndex(a) - imageIndex(b) || (a < b ? -1 : 1)).map((f) => join(dir, c, f)));
    let chosen: string[][];
    if (kind === "all") chosen = perClass;
    else if (kind === "seeded") {
      chosen = seededClassSplit(perClass, o.seed ?? 0, ratio, train);
    } else if (kind === "mpe") {
      chosen = perClass.map((fs) => {
        const k = Math.floor(0.1 * fs.length);
        return train ? fs.slice(k) : fs.slice(0, k);
      });
    } else if (kind === "list") {
      if (!o.splitList) throw new Error("NCaltech101: split 'list' needs splitList (path of a JSON split list)");
      const lst = parseSplitList(await readFile(o.splitList, "utf8"), o.splitList);
      const want = new Set(train ? lst.train : lst.test);
      chosen = perClass.map((fs) => fs.filter((f) => want.has(relative(o.root, f).split("\\").join("/"))));
    } else throw new Error(`NCaltech101: split must be one of seeded, mpe, list, all; got '${String(kind)}'`);
    const samples: SampleRef[] = [];
    chosen.forEach((fs, c) => fs.forEach((f) => samples.push({ id: relative(dir, f).replace(/\.bin$/, ""), file: f, label: c })));
    const splitName = kind === "all" ? "all" : `${kind}${kind === "seeded" ? `-${o.seed ?? 0}` : ""}-${train ? "train" : "test"}`;
    return new NCaltech101(o.root, splitName, classes, samples,
      { format: "atis", overflow: o.overflow ?? "none", background: o.includeBackground ?? false });
  }

  /** The file's events; a file without events is an error (a labelled sample promises a recording). */
  async loadEvents(ref: SampleRef): Promise<Events> {
    return requireEvents(await readAtisFile(ref.file, { overflow: this.decodeParams.overflow as AtisOverflow }), ref);
  }
}
