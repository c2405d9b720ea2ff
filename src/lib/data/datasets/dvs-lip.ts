/**
 * DVS-Lip (Tan et al., CVPR 2022; papers.md §4.4): 100 words, 128×128 DAVIS346 crops of the mouth,
 * train/test split by speaker, distributed as one `DVS-Lip.zip` (`data/fetch/dvs-lip.ts`).
 *
 * Layout: `DVS-Lip/{train,test}/<word>/<speaker>.npy`, each a 1-D structured array
 * `[('t', '<i4'), ('x', 'i1'), ('y', 'i1'), ('p', 'i1')]` (SpikingJelly's DVSLip notes; `formats/npy.ts`
 * reads any field order and integer widths, e.g. tonic's re-encoding). t is in µs.
 *
 * Targets: the index of the word in the sorted list of the split's word folders — the reference code
 * (tgc1997/event-based-lip-reading, `sorted(os.listdir(...))`) and tonic's alphabetical class list agree;
 * with all 100 folders present this is the index in {@link DVS_LIP_CLASSES}. Sample order: word, then
 * file name (the reference's sorted glob). `words` restricts a run to a subset (reduced scales); targets
 * are then indices into that subset.
 *
 * `centerCrop` keeps the events of the central `c × c` window and shifts them to the origin before frames
 * are integrated, as the reference code does for its 96 × 96 input (events with 16 ≤ x, y < 112); the
 * sensor of the dataset becomes `c × c`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { allocEvents, type Events, type SensorSize } from "../events.js";
import { readNpyEventsFile } from "../formats/npy.js";
import type { EventDataset, SampleRef } from "./common.js";

export const DVS_LIP_CLASSES = [
  "accused", "action", "allow", "allowed", "america", "american", "another", "around", "attacks", "banks",
  "become", "being", "benefit", "benefits", "between", "billion", "called", "capital", "challenge", "change",
  "chief", "couple", "court", "death", "described", "difference", "different", "during", "economic", "education",
  "election", "england", "evening", "everything", "exactly", "general", "germany", "giving", "ground", "happen",
  "happened", "having", "heavy", "house", "hundreds", "immigration", "judge", "labour", "leaders", "legal",
  "little", "london", "majority", "meeting", "military", "million", "minutes", "missing", "needs", "number",
  "numbers", "paying", "perhaps", "point", "potential", "press", "price", "question", "really", "right",
  "russia", "russian", "saying", "security", "several", "should", "significant", "spend", "spent", "started",
  "still", "support", "syria", "syrian", "taken", "taking", "terms", "these", "thing", "think",
  "times", "tomorrow", "under", "warning", "water", "welcome", "words", "worst", "years", "young",
] as const;
export const DVS_LIP_SENSOR: SensorSize = { height: 128, width: 128 };
/** Marker the fetch command leaves while an extraction is unfinished (`data/fetch/dvs-lip.ts`). */
export const DVS_LIP_INCOMPLETE = ".dvs-lip-extracting";

/** Keep events with `off ≤ x, y < off + size` (off = (sensor − size)/2) and shift them by −off. */
export function centerCropEvents(ev: Events, sensor: SensorSize, size: number): Events {
  const offY = Math.floor((sensor.height - size) / 2), offX = Math.floor((sensor.width - size) / 2);
  if (offY < 0 || offX < 0) throw new Error(`centerCropEvents: crop ${size} exceeds the sensor ${sensor.height}×${sensor.width}`);
  let n = 0;
  const keep = new Uint8Array(ev.t.length);
  for (let i = 0; i < ev.t.length; i++) {
    const x = ev.x[i]! - offX, y = ev.y[i]! - offY;
    if (x >= 0 && x < size && y >= 0 && y < size) { keep[i] = 1; n++; }
  }
  const out = allocEvents(n);
  for (let i = 0, o = 0; i < ev.t.length; i++) {
    if (!keep[i]) continue;
    out.t[o] = ev.t[i]!; out.x[o] = ev.x[i]! - offX; out.y[o] = ev.y[i]! - offY; out.p[o] = ev.p[i]!;
    o++;
  }
  return out;
}

export interface DvsLipOptions {
  /** Folder holding `DVS-Lip/` (or the `DVS-Lip` folder itself). */
  root: string;
  train: boolean;
  /** Words to use (default: every word folder of the split). */
  words?: readonly string[];
  /** At most this many files per word (the first ones in name order). */
  perWord?: number;
  /** Central crop of the events in pixels (the reference uses 96); default none. */
  centerCrop?: number;
}

export class DvsLip implements EventDataset {
  readonly name = "dvs-lip";
  readonly sensor: SensorSize;
  readonly decodeParams: Record<string, unknown>;

  private constructor(readonly dir: string, readonly split: string, readonly classes: readonly string[], readonly samples: readonly SampleRef[], private readonly crop: number | null) {
    this.sensor = crop ? { height: crop, width: crop } : DVS_LIP_SENSOR;
    this.decodeParams = { format: "npy", centerCrop: crop };
  }

  /** Folder that contains `train/` and `test/`. */
  static locate(root: string): string {
    for (const d of [join(root, "DVS-Lip"), root]) {
      if (existsSync(join(d, "train")) && existsSync(join(d, "test"))) {
        if (existsSync(join(d, DVS_LIP_INCOMPLETE)) || existsSync(join(root, DVS_LIP_INCOMPLETE))) {
          throw new Error(`DVS-Lip: ${d} is an unfinished extraction (${DVS_LIP_INCOMPLETE} present); rerun 'npx tsx data/fetch/dvs-lip.ts --from <DVS-Lip.zip>' to resume it`);
        }
        return d;
      }
    }
    throw new Error(`DVS-Lip: no train/ and test/ folders in ${join(root, "DVS-Lip")} or ${root}; expected the extracted DVS-Lip/{train,test}/<word>/<speaker>.npy (npx tsx data/fetch/dvs-lip.ts --from DVS-Lip.zip)`);
  }

  static open(o: DvsLipOptions): DvsLip {
    const dir = DvsLip.locate(o.root);
    const split = o.train ? "train" : "test";
    const splitDir = join(dir, split);
    const present = readdirSync(splitDir).filter((w) => statSync(join(splitDir, w)).isDirectory()).sort();
    const words = o.words ? [...o.words] : present;
    for (const w of words) if (!present.includes(w)) throw new Error(`DVS-Lip: word '${w}' has no folder in ${splitDir}`);
    if (o.perWord !== undefined && !(Number.isInteger(o.perWord) && o.perWord > 0)) throw new Error(`DVS-Lip: perWord must be a positive integer, got ${o.perWord}`);
    const samples: SampleRef[] = [];
    words.forEach((w, label) => {
      let files = readdirSync(join(splitDir, w)).filter((f) => f.endsWith(".npy")).sort();
      if (o.perWord !== undefined) files = files.slice(0, o.perWord);
      for (const f of files) samples.push({ id: `${w}/${f.slice(0, -4)}`, file: join(splitDir, w, f), label });
    });
    if (samples.length === 0) throw new Error(`DVS-Lip: no .npy files for the selected words in ${splitDir}`);
    return new DvsLip(dir, split, words, samples, o.centerCrop ?? null);
  }

  async loadEvents(ref: SampleRef): Promise<Events> {
    const ev = await readNpyEventsFile(ref.file);
    for (let i = 0; i < ev.t.length; i++) {
      if (ev.x[i]! >= DVS_LIP_SENSOR.width || ev.y[i]! >= DVS_LIP_SENSOR.height) {
        throw new Error(`${ref.file}: event ${i} at (x ${ev.x[i]}, y ${ev.y[i]}) is outside the 128×128 DVS-Lip sensor`);
      }
    }
    return this.crop ? centerCropEvents(ev, DVS_LIP_SENSOR, this.crop) : ev;
  }
}
