/**
 * Spiking Heidelberg Digits (Cramer et al., TNNLS 2020; papers.md §4.4, §5b; issue #19).
 *
 * The publisher's `shd_train.h5` / `shd_test.h5` (8 156 / 2 264 samples, 20 classes, 700 cochlea channels) hold
 *
 *   spikes/times   one variable-length sequence per sample: spike times in seconds (float16 in the published files;
 *                  float32 copies, e.g. re-saved ones, are read the same way)
 *   spikes/units   one variable-length sequence per sample: the channel 0..699 of each spike (uint16)
 *   labels         class 0..19 per sample (English digits 0–9, then German 0–9)
 *   extra/speaker  speaker id per sample;  extra/keys  the 20 class names
 *   extra/meta_info/{gender, age, body_height}  per speaker
 *
 * {@link readShdFile} validates all of it (equal row counts, equal times/units lengths per sample, channel and
 * class ranges, finite non-negative times) and names the file, dataset and row of the first violation.
 * {@link writeShdFile} writes the same layout (the project's synthetic data goes through the same reader).
 */
import { Hdf5Reader } from "../formats/hdf5.js";
import { writeHdf5, type Hdf5Node } from "../formats/hdf5-writer.js";

export const SHD_CHANNELS = 700;
export const SHD_CLASSES = 20;
export const SHD_FILES = { train: "shd_train.h5", test: "shd_test.h5" } as const;

/** Spikes of one sample: times in seconds and the channel of each spike. */
export interface ChannelEvents {
  times: Float32Array;
  units: Int32Array;
}

export interface ShdSet {
  file: string;
  samples: ChannelEvents[];
  labels: Int32Array;
  speakers: Int32Array;
  keys: string[];
  meta: { gender: string[]; age: number[]; bodyHeight: number[] } | null;
}

function asInts(name: string, file: string, v: number[] | string[]): Int32Array {
  if (v.some((x) => typeof x !== "number" || !Number.isInteger(x))) throw new Error(`${file}: '${name}' must hold integers`);
  return Int32Array.from(v as number[]);
}

/**
 * Read and validate an SHD file. `limit` reads only the first `limit` samples (the small scale); the spike
 * sequences are read in blocks of `block` rows so memory stays bounded on the 8 156-sample training file.
 */
export async function readShdFile(file: string, opts: { limit?: number; block?: number } = {}): Promise<ShdSet> {
  const r = await Hdf5Reader.open(file);
  try {
    for (const name of ["spikes/times", "spikes/units", "labels"]) {
      if (!r.has(name)) throw new Error(`${file}: missing '${name}' (not an SHD file? expected spikes/times, spikes/units, labels)`);
    }
    const labelsAll = asInts("labels", file, r.values("labels"));
    const total = labelsAll.length;
    const n = Math.min(total, opts.limit ?? total);
    const block = opts.block ?? 1024;
    const samples: ChannelEvents[] = [];
    for (let start = 0; start < n; start += block) {
      const m = Math.min(block, n - start);
      const times = r.readVlenSequences("spikes/times", start, m);
      const units = r.readVlenSequences("spikes/units", start, m);
      for (let j = 0; j < m; j++) {
        const row = start + j;
        const t = times[j]!, u = units[j]!;
        if (!(t instanceof Float32Array)) throw new Error(`${file}: 'spikes/times' must hold floating-point times, found integers`);
        if (!(u instanceof Int32Array)) throw new Error(`${file}: 'spikes/units' must hold integer channels, found floats`);
        if (t.length !== u.length) throw new Error(`${file}: sample ${row}: spikes/times has ${t.length} entries but spikes/units has ${u.length}`);
        for (let k = 0; k < u.length; k++) {
          if (u[k]! < 0 || u[k]! >= SHD_CHANNELS) throw new Error(`${file}: sample ${row}, spike ${k}: unit ${u[k]} outside 0..${SHD_CHANNELS - 1}`);
          if (!(t[k]! >= 0 && Number.isFinite(t[k]!))) throw new Error(`${file}: sample ${row}, spike ${k}: time ${t[k]} is not a finite non-negative number of seconds`);
        }
        samples.push({ times: t, units: u });
      }
    }
    const timesRows = r.dataset("spikes/times").shape?.[0], unitsRows = r.dataset("spikes/units").shape?.[0];
    if (timesRows !== total || unitsRows !== total) {
      throw new Error(`${file}: row counts differ: labels ${total}, spikes/times ${timesRows}, spikes/units ${unitsRows}`);
    }
    const labels = labelsAll.subarray(0, n);
    labels.forEach((l, i) => {
      if (l < 0 || l >= SHD_CLASSES) throw new Error(`${file}: labels[${i}] = ${l} outside 0..${SHD_CLASSES - 1}`);
    });
    const speakers = r.has("extra/speaker") ? asInts("extra/speaker", file, r.values("extra/speaker")).subarray(0, n) : new Int32Array(n).fill(-1);
    if (speakers.length !== n) throw new Error(`${file}: extra/speaker has ${speakers.length} rows, labels ${total}`);
    const keys = r.has("extra/keys") ? (r.values("extra/keys") as string[]).map(String) : [];
    const meta = r.has("extra/meta_info/gender")
      ? { gender: (r.values("extra/meta_info/gender") as string[]).map(String), age: r.values("extra/meta_info/age") as number[], bodyHeight: r.values("extra/meta_info/body_height") as number[] }
      : null;
    return { file, samples, labels, speakers, keys, meta };
  } finally {
    r.close();
  }
}

/** Write samples in the SHD layout (times as float16 like the published files, or float32). */
export async function writeShdFile(
  file: string,
  set: { samples: readonly ChannelEvents[]; labels: ArrayLike<number>; speakers?: ArrayLike<number>; keys?: readonly string[] },
  opts: { timeDtype?: "float16" | "float32" } = {},
): Promise<void> {
  const n = set.samples.length;
  if (set.labels.length !== n) throw new Error(`writeShdFile(${file}): ${n} samples but ${set.labels.length} labels`);
  const extra: Record<string, Hdf5Node> = {
    speaker: { kind: "array", element: "uint16", data: set.speakers ?? new Uint16Array(n) },
    keys: { kind: "strings", data: set.keys ?? Array.from({ length: SHD_CLASSES }, (_, i) => `class-${i}`) },
  };
  await writeHdf5(file, {
    kind: "group",
    children: {
      spikes: { kind: "group", children: {
        times: { kind: "vlen", element: opts.timeDtype ?? "float16", rows: set.samples.map((s) => s.times) },
        units: { kind: "vlen", element: "uint16", rows: set.samples.map((s) => s.units) },
      } },
      labels: { kind: "array", element: "uint16", data: set.labels },
      extra: { kind: "group", children: extra },
    },
  });
}
