/**
 * Synthetic DVS data written as **real files** in each publisher's layout, so the whole pipeline
 * (fetch layout → parse → frames → batches → training) runs in tests and smoke reproductions without
 * the multi-GB downloads.
 *
 * A sample of class c out of K is a filled square of side `s` moving across the canvas in direction
 * `θ_c = 2π·c/K` at constant speed. At each of `steps` time steps the square moves from position `P_{k−1}`
 * to `P_k`; pixels newly covered fire ON (p = 1) and pixels uncovered fire OFF (p = 0), at a uniformly
 * drawn time inside the step; a fraction `noise` of extra events is uniform over the canvas and time.
 * The motion direction is visible in the frames, so the classes are learnable; the start position is
 * jittered per sample. Timestamps are sorted, integer µs.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "../util/random.js";
import { allocEvents, concatEvents, type Events } from "./events.js";
import { writeAedat2 } from "./formats/aedat2.js";
import { writeAedat3 } from "./formats/aedat3.js";
import { writeAtis } from "./formats/atis.js";
import { encodeNpyEvents } from "./formats/npy.js";
import { CIFAR10_DVS_CLASSES } from "./datasets/cifar10-dvs.js";

export interface MovingSquareOptions {
  height: number;
  width: number;
  /** Duration in µs (default 100 000). */
  durationUs?: number;
  /** Start time in µs (default 0). */
  t0?: number;
  steps?: number;
  /** Square side in pixels (default ⌈min(H, W)/6⌉). */
  size?: number;
  /** Extra uniform noise events as a fraction of signal events (default 0.05). */
  noise?: number;
}

/** Events of one moving-square sample of class `cls` of `classes` (see module doc). */
export function movingSquareEvents(cls: number, classes: number, rng: Rng, o: MovingSquareOptions): Events {
  const { height: H, width: W } = o;
  const dur = o.durationUs ?? 100_000;
  const t0 = o.t0 ?? 0;
  const steps = o.steps ?? 12;
  const s = o.size ?? Math.ceil(Math.min(H, W) / 6);
  const th = (2 * Math.PI * cls) / classes;
  const travel = Math.min(H, W) * 0.45;
  const cx0 = W / 2 - (Math.cos(th) * travel) / 2 + rng.uniform(-2, 2);
  const cy0 = H / 2 - (Math.sin(th) * travel) / 2 + rng.uniform(-2, 2);
  const dt = dur / steps;
  const ts: number[] = [], xs: number[] = [], ys: number[] = [], ps: number[] = [];
  const cover = (cx: number, cy: number, x: number, y: number) =>
    x >= Math.round(cx - s / 2) && x < Math.round(cx - s / 2) + s && y >= Math.round(cy - s / 2) && y < Math.round(cy - s / 2) + s;
  for (let k = 1; k <= steps; k++) {
    const ax = cx0 + (Math.cos(th) * travel * (k - 1)) / steps, ay = cy0 + (Math.sin(th) * travel * (k - 1)) / steps;
    const bx = cx0 + (Math.cos(th) * travel * k) / steps, by = cy0 + (Math.sin(th) * travel * k) / steps;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - s)), x1 = Math.min(W, Math.ceil(Math.max(ax, bx) + s));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - s)), y1 = Math.min(H, Math.ceil(Math.max(ay, by) + s));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const was = cover(ax, ay, x, y), now = cover(bx, by, x, y);
        if (was === now) continue;
        ts.push(Math.floor(t0 + (k - 1) * dt + rng.next() * dt));
        xs.push(x); ys.push(y); ps.push(now ? 1 : 0);
      }
    }
  }
  const nNoise = Math.round((o.noise ?? 0.05) * ts.length);
  for (let i = 0; i < nNoise; i++) {
    ts.push(Math.floor(t0 + rng.next() * dur)); xs.push(rng.int(W)); ys.push(rng.int(H)); ps.push(rng.int(2));
  }
  const order = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
  const ev = allocEvents(order.length);
  order.forEach((j, i) => { ev.t[i] = ts[j]!; ev.x[i] = xs[j]!; ev.y[i] = ys[j]!; ev.p[i] = ps[j]!; });
  return ev;
}

async function put(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes);
}

export interface SyntheticGestureOptions {
  trainUsers?: number[];
  testUsers?: number[];
  lights?: string[];
  /** CSV classes (1..11) recorded per file, in order (default 1..11). */
  classes?: number[];
  /** Gesture length in µs (default 50 000); gestures are separated by 20 ms gaps of noise. */
  gestureUs?: number;
  /** Start time of the first gesture (default 2^31 + 1e6 so 64-bit timestamps and packet overflow are exercised). */
  t0?: number;
  seed?: number;
}

/**
 * Write `<root>/DvsGesture/userXX_<light>.aedat` + `_labels.csv` + `trials_to_{train,test}.txt`.
 * Returns the number of gestures written per split.
 */
export async function generateDvsGesture(root: string, o: SyntheticGestureOptions = {}): Promise<{ train: number; test: number }> {
  const dir = join(root, "DvsGesture");
  await mkdir(dir, { recursive: true });
  const rng = new Rng(o.seed ?? 1);
  const classes = o.classes ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const lights = o.lights ?? ["led"];
  const gUs = o.gestureUs ?? 50_000;
  const counts = { train: 0, test: 0 };
  for (const [split, users] of [["train", o.trainUsers ?? [1, 2]], ["test", o.testUsers ?? [24]]] as const) {
    const names: string[] = [];
    for (const u of users) {
      for (const light of lights) {
        const stem = `user${String(u).padStart(2, "0")}_${light}`;
        const parts: Events[] = [];
        const rows = ["class,startTime_usec,endTime_usec"];
        let t = o.t0 ?? 2 ** 31 + 1_000_000;
        for (const c of classes) {
          // a gap with sparse noise, then the gesture
          parts.push(movingSquareEvents(0, 1, rng, { height: 128, width: 128, durationUs: 20_000, t0: t, steps: 1, size: 1, noise: 0 }));
          t += 20_000;
          parts.push(movingSquareEvents(c - 1, 11, rng, { height: 128, width: 128, durationUs: gUs, t0: t }));
          rows.push(`${c},${t},${t + gUs}`);
          t += gUs;
          counts[split]++;
        }
        await put(join(dir, `${stem}.aedat`), writeAedat3(concatEvents(parts), { packetEvents: 2048 }));
        await writeFile(join(dir, `${stem}_labels.csv`), rows.join("\r\n") + "\r\n");
        names.push(`${stem}.aedat`);
      }
    }
    await writeFile(join(dir, `trials_to_${split}.txt`), names.join("\n") + "\n");
  }
  return counts;
}

export interface SyntheticFolderOptions {
  perClass?: number;
  seed?: number;
  durationUs?: number;
}

/** Write `<root>/<class>/cifar10_<class>_<i>.aedat` (AEDAT 2.0, SJ orientation) for all 10 classes. */
export async function generateCifar10Dvs(root: string, o: SyntheticFolderOptions = {}): Promise<number> {
  const rng = new Rng(o.seed ?? 2);
  const n = o.perClass ?? 4;
  let count = 0;
  for (let c = 0; c < CIFAR10_DVS_CLASSES.length; c++) {
    const name = CIFAR10_DVS_CLASSES[c]!;
    await mkdir(join(root, name), { recursive: true });
    for (let i = 0; i < n; i++) {
      const ev = movingSquareEvents(c, 10, rng, { height: 128, width: 128, durationUs: o.durationUs ?? 100_000 });
      await put(join(root, name, `cifar10_${name}_${i}.aedat`), writeAedat2(ev, { orientation: "spikingjelly" }));
      count++;
    }
  }
  return count;
}

/** Write `<root>/Caltech101/<class>/image_NNNN.bin` (ATIS, 240×180) for the given class names. */
export async function generateNCaltech101(
  root: string, o: SyntheticFolderOptions & { classes?: string[]; overflow?: "none" | "tonic" } = {},
): Promise<number> {
  const rng = new Rng(o.seed ?? 3);
  const classes = o.classes ?? ["BACKGROUND_Google", "Faces_easy", "accordion", "airplanes"];
  const n = o.perClass ?? 4;
  let count = 0;
  for (let c = 0; c < classes.length; c++) {
    const dir = join(root, "Caltech101", classes[c]!);
    await mkdir(dir, { recursive: true });
    for (let i = 1; i <= n; i++) {
      const ev = movingSquareEvents(c, classes.length, rng, { height: 180, width: 240, durationUs: o.durationUs ?? 300_000 });
      await put(join(dir, `image_${String(i).padStart(4, "0")}.bin`), writeAtis(ev, { overflow: o.overflow ?? "none" }));
      count++;
    }
  }
  return count;
}

export interface SyntheticDvsLipOptions {
  /** Word folders (default the first 5 DVS-Lip words). */
  words?: readonly string[];
  trainPerWord?: number;
  testPerWord?: number;
  /** Sample length in µs (default 60 000). */
  durationUs?: number;
  seed?: number;
}

/**
 * Write `<root>/DVS-Lip/{train,test}/<word>/<speaker>.npy` with DVS-Lip's dtype (`DVS_LIP_NPY_FIELDS`):
 * moving squares on the 128 × 128 canvas inside the central 96 × 96 crop, one direction per word.
 * Speakers are numbered per split (train 0.., test 0..) as in the real files.
 */
export async function generateDvsLip(root: string, o: SyntheticDvsLipOptions = {}): Promise<{ train: number; test: number }> {
  const rng = new Rng(o.seed ?? 4);
  const words = o.words ?? ["accused", "action", "allow", "allowed", "america"];
  const counts = { train: 0, test: 0 };
  for (const [split, n] of [["train", o.trainPerWord ?? 6], ["test", o.testPerWord ?? 2]] as const) {
    for (let c = 0; c < words.length; c++) {
      const dir = join(root, "DVS-Lip", split, words[c]!);
      await mkdir(dir, { recursive: true });
      for (let i = 0; i < n; i++) {
        const ev = movingSquareEvents(c, words.length, rng, { height: 96, width: 96, durationUs: o.durationUs ?? 60_000, size: 14 });
        for (let j = 0; j < ev.t.length; j++) { ev.x[j] += 16; ev.y[j] += 16; }
        await put(join(dir, `${i}.npy`), encodeNpyEvents(ev));
        counts[split]++;
      }
    }
  }
  return counts;
}
