/**
 * A generated stand-in for the authors' archive (smoke scale and tests): for every released run, a text log
 * and event files at the same paths, in the same formats (written by the project's own writers in
 * `lib/logs`), with a known seeded curve over a few epochs. Accuracies are k/N for the run's scored test
 * count N; runs that were resumed in the real archive are resumed here too (a first event file up to the
 * resume epoch, then a log and a second event file from it, the log's running best carried in). Two planted
 * defects check that bad input is reported and the rest is still read: a traceback line in one log, and a
 * truncated record at the end of one event file.
 *
 * Returns the runs (with the fixture's planned epochs) and, per run, the truth the audit must recover.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { encodeEventFile, encodeEvent, type EventToWrite } from "../../lib/logs/tfevents.js";
import { encodeTfRecord } from "../../lib/logs/tfrecord.js";
import { formatLogLine } from "../../lib/logs/text-log.js";
import { Rng } from "../../lib/util/random.js";
import { EVENT_TAGS, LOG_KEYS, OFFICIAL_RUNS, type OfficialRun } from "./official-runs.js";

export interface FixtureTruth {
  scored: number;
  resumeAt: number;
  best: { value: number; epoch: number };
  last: { value: number; epoch: number };
  firstTrainLoss: number;
  trainAccAtBest: number;
}

/** Runs resumed in the real archive (several event files, or a log starting mid-way). */
const RESUMED = new Set(["dvsgesture/T16", "cifar10dvs/T8", "cifar10dvs/T4-lif", "ncaltech101/T10"]);
const TRUNCATED_EVENT_RUN = "dvsgesture/T16";
const TRACEBACK_LOG_RUN = "cifar10/resnet19-T4";
/** Scalars stored as rank-0 tensors (TF2 style) in this run's files, so both encodings are exercised. */
const TENSOR_RUN = "cifar10/resnet19-T4";

function scoredCount(run: OfficialRun): number {
  if (run.testSetSize === null) return 816; // N-Caltech101 with the authors' split (papers.md §2.4)
  return run.dataset === "cifar10dvs" ? Math.floor(run.testSetSize / run.testBatch) * run.testBatch : run.testSetSize;
}

export async function writeOfficialFixture(dir: string, opts: { epochs?: number; seed?: number } = {}): Promise<{ runs: OfficialRun[]; truth: Map<string, FixtureTruth> }> {
  const P = opts.epochs ?? 12;
  const rng = new Rng(opts.seed ?? 0);
  const truth = new Map<string, FixtureTruth>();
  const runs = OFFICIAL_RUNS.map((r) => ({ ...r, planned: P }));
  const t0 = Date.UTC(2024, 8, 1, 12, 0, 0);
  for (const run of runs) {
    const N = scoredCount(run);
    const resumeAt = RESUMED.has(run.id) ? Math.floor(P / 2) : 0;
    const ceiling = 0.6 + 0.35 * rng.next();
    const epochs = Array.from({ length: P }, (_, e) => {
      const k = Math.max(1, Math.min(N, Math.round(N * (ceiling * (1 - Math.exp(-(e + 1) / 3)) + 0.02 * (rng.next() - 0.5)))));
      const trainAcc = Math.min(100, 100 * (ceiling + 0.05) * (1 - Math.exp(-(e + 1) / 2.5)));
      return { epoch: e, k, testAcc: (100 * k) / N, trainAcc, trainLoss: 500 * Math.exp(-e / 4) + 5 };
    });
    let bestE = 0;
    epochs.forEach((x, e) => { if (x.k > epochs[bestE]!.k) bestE = e; });
    truth.set(run.id, {
      scored: N, resumeAt, best: { value: epochs[bestE]!.testAcc, epoch: bestE }, last: { value: epochs[P - 1]!.testAcc, epoch: P - 1 },
      firstTrainLoss: epochs[0]!.trainLoss, trainAccAtBest: epochs[bestE]!.trainAcc,
    });
    // text log from the resume epoch on, the running best carried in
    const lines = [formatLogLine({ time: new Date(t0), source: "train.py", lineNo: 313, message: "start training!" })];
    let best = Math.max(...epochs.slice(0, Math.max(resumeAt, 1)).map((x) => x.testAcc));
    for (const x of epochs.slice(resumeAt)) {
      const time = new Date(t0 + 60_000 * x.epoch);
      best = Math.max(best, x.testAcc);
      lines.push(formatLogLine({ time, source: "train.py", lineNo: 321, epoch: [x.epoch, P], values: [[LOG_KEYS.trainLoss, x.trainLoss, 5], [LOG_KEYS.trainAcc, x.trainAcc, 3]] }));
      lines.push(formatLogLine({ time, source: "train.py", lineNo: 330, epoch: [x.epoch, P], values: [[LOG_KEYS.testAcc, x.testAcc, 3]] }));
      lines.push(formatLogLine({ time, source: "train.py", lineNo: 339, values: [[LOG_KEYS.runningBest, best, 3]] }));
      if (run.id === TRACEBACK_LOG_RUN && x.epoch === resumeAt + 1) lines.push("Traceback (most recent call last):", "", "KeyboardInterrupt");
    }
    await put(join(dir, run.log), `${lines.join("\n")}\n`);
    // event files: [0, resumeAt) in the first, [resumeAt, P) in the last (resumed runs), one scalar per event
    const as = run.id === TENSOR_RUN ? "tensor" : "simple_value";
    const toEvents = (xs: typeof epochs): EventToWrite[] => xs.flatMap((x) => (["trainLoss", "trainAcc", "testAcc"] as const).map((m) => ({
      step: x.epoch, wallTime: t0 / 1000 + 60 * x.epoch, scalars: [{ tag: EVENT_TAGS[m], value: x[m], as }],
    })));
    const parts = resumeAt > 0 ? [epochs.slice(0, resumeAt), epochs.slice(resumeAt)] : [epochs];
    for (const [i, f] of run.events.entries()) {
      const slice = i === 0 ? parts[0]! : i === run.events.length - 1 ? (parts[1] ?? []) : [];
      let bytes = encodeEventFile(toEvents(slice), t0 / 1000);
      if (run.id === TRUNCATED_EVENT_RUN && i === run.events.length - 1) {
        const extra = encodeTfRecord(encodeEvent({ wallTime: t0 / 1000, step: P, scalars: [{ tag: EVENT_TAGS.testAcc, value: 1 }] }));
        bytes = concat(bytes, extra.subarray(0, extra.length - 2)); // a process killed while writing the last CRC
      }
      await put(join(dir, f), bytes);
    }
  }
  return { runs, truth };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

async function put(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}
