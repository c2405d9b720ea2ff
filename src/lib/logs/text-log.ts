/**
 * Training logs written by Python's `logging` with the format
 * `[%(asctime)s][%(filename)s][line:%(lineno)d][%(levelname)s] %(message)s`, e.g.
 *
 *   [2024-09-01 14:19:02,270][train.py][line:321][INFO] Epoch:[148/230]	 loss=15.38564	 acc=99.745
 *
 * A message is read as an optional `Epoch:[e/E]` prefix followed by tab-separated `key=value` pairs with
 * numeric values (keys may hold spaces: `Test acc=96.528`). Which keys mean what is the caller's business:
 * nothing here knows a paper. Blank lines are skipped; logging lines without numbers (`start training!`)
 * are counted; any other line (a traceback, a print without the logging header) is an "unparseable" problem
 * with its line number — counted and reported, never silently dropped.
 */
import type { LogProblem } from "./problem.js";

export interface LogRecord {
  /** 1-based line number. */
  line: number;
  time: string;
  source: string;
  level: string;
  epoch?: number;
  /** E of `Epoch:[e/E]`: the number of epochs the run planned. */
  planned?: number;
  values: Record<string, number>;
  /** Half a unit of each value's last written decimal (`96.528` → 0.0005, `100.000` → 0.0005): its rounding. */
  halfUnits: Record<string, number>;
}

export interface TextLogRead {
  file: string;
  lines: number;
  records: LogRecord[];
  /** Logging lines with no `key=value` numbers (e.g. `start training!`). */
  otherMessages: number;
  blank: number;
  problems: LogProblem[];
}

const HEADER = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:,\d+)?)\]\[([^\]]*)\]\[line:(\d+)\]\[([A-Z]+)\] ?(.*)$/;
const EPOCH = /^Epoch:\s*\[(\d+)\/(\d+)\]\s*(.*)$/;
const PAIR = /^\s*([A-Za-z][A-Za-z0-9 _-]*?)\s*=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf|-inf)\s*$/;

function parseValue(s: string): number {
  return s === "nan" ? NaN : s === "inf" ? Infinity : s === "-inf" ? -Infinity : Number(s);
}

/**
 * Parse a log's text. `requireKeys` names keys that must occur at least once (e.g. the test accuracy): a
 * log without them gets a `missing-key` problem, and an empty log an `empty` problem.
 */
export function readTextLog(text: string, file: string, opts: { requireKeys?: readonly string[] } = {}): TextLogRead {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const out: TextLogRead = { file, lines: lines.length, records: [], otherMessages: 0, blank: 0, problems: [] };
  if (text.trim() === "") {
    out.problems.push({ file, kind: "empty", message: "the log is empty" });
    return out;
  }
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") { out.blank++; return; }
    const h = HEADER.exec(raw);
    if (!h) {
      out.problems.push({ file, line, kind: "unparseable", message: `not a logging line '[time][file][line:N][LEVEL] message': ${JSON.stringify(raw.slice(0, 80))}` });
      return;
    }
    let msg = h[5]!;
    const rec: LogRecord = { line, time: h[1]!, source: h[2]!, level: h[4]!, values: {}, halfUnits: {} };
    const e = EPOCH.exec(msg);
    if (e) { rec.epoch = Number(e[1]); rec.planned = Number(e[2]); msg = e[3]!; }
    const parts = msg.split("\t").filter((p) => p.trim() !== "");
    const pairs = parts.map((p) => PAIR.exec(p));
    if (parts.length && pairs.every((p) => p)) {
      for (const p of pairs) {
        rec.values[p![1]!] = parseValue(p![2]!);
        rec.halfUnits[p![1]!] = 0.5 / 10 ** (p![2]!.split(".")[1]?.replace(/[eE].*/, "").length ?? 0);
      }
      out.records.push(rec);
    } else if (pairs.some((p) => p)) {
      out.problems.push({ file, line, kind: "unparseable", message: `mixed message: some tab-separated parts are not key=number: ${JSON.stringify(msg.slice(0, 80))}` });
    } else if (e) {
      out.problems.push({ file, line, kind: "unparseable", message: `epoch line without key=number values: ${JSON.stringify(msg.slice(0, 80))}` });
    } else {
      out.otherMessages++;
    }
  });
  for (const k of opts.requireKeys ?? []) {
    if (!out.records.some((r) => k in r.values)) out.problems.push({ file, kind: "missing-key", message: `no line carries '${k}=' (${out.records.length} numeric line(s) read)` });
  }
  return out;
}

// ---------------------------------------------------------------- writer (tests, smoke fixtures)

/** One line in the logging format above; `epoch` adds the `Epoch:[e/E]` prefix, values are tab-separated. */
export function formatLogLine(o: { time: Date; source: string; lineNo: number; level?: string; epoch?: [number, number]; values?: [string, number, number][]; message?: string }): string {
  const iso = o.time.toISOString();
  const time = `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
  const pairs = (o.values ?? []).map(([k, v, decimals]) => `${k}=${v.toFixed(decimals)}`);
  const msg = o.message ?? [o.epoch ? `Epoch:[${o.epoch[0]}/${o.epoch[1]}]` : "", ...pairs].filter((x) => x).join("\t ");
  return `[${time}][${o.source}][line:${o.lineNo}][${o.level ?? "INFO"}] ${msg}`;
}
