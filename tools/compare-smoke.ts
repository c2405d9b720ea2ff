/**
 * Compare two results folders item by item — the proof that a refactoring changed no result (issue #15):
 *
 *   npx tsx reproduce.ts <ids> --scale smoke --out A   (in the tree before)
 *   npx tsx reproduce.ts <ids> --scale smoke --out B   (in the tree after)
 *   npx tsx tools/compare-smoke.ts A B [--scale smoke] [--rtol 1e-6] [--expected FILE.json] [--rename OLD=NEW]...
 *
 * Every `<paper>/<item>/<scale>/result.json` of either folder is read. Per item the verdicts (each
 * comparison's status) must be equal, every number equal within the relative tolerance
 * |a − b| ≤ rtol · max(|a|, |b|) (default 1e-6: float32 noise printed through JSON, nothing more), every other
 * value identical. Ignored: the `environment` block (date, command, wall time, backend, host, commit), any
 * key named in `IGNORED_KEYS`, wall-clock keys (`TIMING_KEY`: `seconds`, `…Seconds`, `…Ms`, `epochS`) and
 * durations quoted in text ("took 4.1 s": `withoutDurations`); paths inside a results folder are compared
 * relative to it. `--expected` is a JSON object `{ "<id>": "<why it may differ>" }`: such items
 * are reported as expected-differing (a wall-clock measurement, a deliberate change of smoke settings), not as
 * failures. `--rename OLD=NEW` maps an item id of the before folder to its id in the after folder.
 * Exit code 0 when every common item is equal (or expected to differ), 1 on a difference, 2 on bad arguments.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** Provenance keys, never compared wherever they appear. */
export const IGNORED_KEYS = new Set(["environment", "date", "command", "commit", "host", "hostname", "packageLockSha256"]);

/** Wall-clock measurements (`seconds`, `epochSeconds`, `stepMs`, `timesMs`, `wallS`, `epochS`), never compared. */
export const TIMING_KEY = /(^seconds|Seconds|Ms|^wallS|^epochS)$/;

export interface CompareOptions {
  /** Relative tolerance on numbers (default 1e-6). */
  rtol?: number;
}

/** One difference: a JSON path (`data.rows[2].accuracy`) and both values. */
export interface Difference {
  path: string;
  before: unknown;
  after: unknown;
}

function numbersClose(a: number, b: number, rtol: number): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b));
}

/** Every difference between two parsed result.json values, depth first, in key order of `before`. */
export function diffValues(before: unknown, after: unknown, opts: CompareOptions = {}, path = ""): Difference[] {
  const rtol = opts.rtol ?? 1e-6;
  if (typeof before === "number" && typeof after === "number") return numbersClose(before, after, rtol) ? [] : [{ path, before, after }];
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Difference[] = [];
    if (before.length !== after.length) out.push({ path: `${path}.length`, before: before.length, after: after.length });
    for (let i = 0; i < Math.min(before.length, after.length); i++) out.push(...diffValues(before[i], after[i], opts, `${path}[${i}]`));
    return out;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !IGNORED_KEYS.has(k) && !TIMING_KEY.test(k));
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in after)) return [{ path: p, before: before[k], after: undefined }];
      if (!(k in before)) return [{ path: p, before: undefined, after: after[k] }];
      return diffValues(before[k], after[k], opts, p);
    });
  }
  if (typeof before === "string" && typeof after === "string") return withoutDurations(before) === withoutDurations(after) ? [] : [{ path, before, after }];
  return before === after ? [] : [{ path, before, after }];
}

/** A text with its durations ("took 4.1 s", "25 ms per step", "3 min") blanked: notes quote wall time. */
export function withoutDurations(text: string): string {
  return text.replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|min|h)\b/g, "<duration>");
}

interface ResultFile {
  id: string;
  comparisons?: { claimId: string; status: string }[];
}

/** `<root>/<paper>/<item>/<scale>/result.json` of every item run at `scale`, by item id. */
export function readResults(root: string, scale: string): Map<string, ResultFile> {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${root}: not a folder; expected a results folder written by reproduce.ts --out`);
  const out = new Map<string, ResultFile>();
  const dirs = (d: string) => readdirSync(d).filter((n) => !n.startsWith("_") && statSync(join(d, n)).isDirectory()).sort();
  for (const paper of dirs(root)) {
    for (const item of dirs(join(root, paper))) {
      const file = join(root, paper, item, scale, "result.json");
      if (!existsSync(file)) continue;
      let r: ResultFile;
      try {
        // Paths inside the results folder (a generated archive's dir) name the folder: compare them relative to it.
        r = JSON.parse(readFileSync(file, "utf8").split(resolve(root)).join("<out>")) as ResultFile;
      } catch (e) {
        throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
      }
      out.set(r.id ?? `${paper}:${item}`, r);
    }
  }
  return out;
}

export type ItemStatus = "equal" | "differing" | "expected-differing" | "only-before" | "only-after";

export interface ItemComparison {
  id: string;
  status: ItemStatus;
  /** The verdicts that changed, `claimId: BEFORE → AFTER` (a claim present on one side only included). */
  verdictChanges: string[];
  differences: Difference[];
  /** Why the item may differ (from `expected`). */
  reason?: string;
}

/** Compare two results folders item by item. */
export function compareFolders(
  beforeRoot: string, afterRoot: string,
  o: CompareOptions & { scale?: string; expected?: Record<string, string>; rename?: Record<string, string> } = {},
): ItemComparison[] {
  const scale = o.scale ?? "smoke";
  const before = new Map([...readResults(beforeRoot, scale)].map(([id, r]) => [o.rename?.[id] ?? id, r]));
  const after = readResults(afterRoot, scale);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  return ids.map((id): ItemComparison => {
    const b = before.get(id), a = after.get(id);
    if (!a) return { id, status: "only-before", verdictChanges: [], differences: [] };
    if (!b) return { id, status: "only-after", verdictChanges: [], differences: [] };
    const verdicts = (r: ResultFile) => new Map((r.comparisons ?? []).map((c) => [c.claimId, c.status]));
    const vb = verdicts(b), va = verdicts(a);
    const verdictChanges = [...new Set([...vb.keys(), ...va.keys()])]
      .filter((c) => vb.get(c) !== va.get(c)).map((c) => `${c}: ${vb.get(c) ?? "absent"} → ${va.get(c) ?? "absent"}`);
    const { id: _b, ...restB } = b, { id: _a, ...restA } = a;
    const differences = diffValues(restB, restA, o);
    const same = verdictChanges.length === 0 && differences.length === 0;
    const reason = o.expected?.[id];
    return { id, status: same ? "equal" : reason ? "expected-differing" : "differing", verdictChanges, differences, ...(reason && !same ? { reason } : {}) };
  });
}

const show = (v: unknown) => (v === undefined ? "absent" : JSON.stringify(v).slice(0, 80));

/** A markdown table of the item statuses, then the differences of each differing item (at most `limit` each). */
export function formatComparison(items: ItemComparison[], limit = 8): string {
  const lines = ["| item | status | verdict changes | differing values | reason |", "|---|---|---|---|---|"];
  for (const i of items) lines.push(`| ${i.id} | ${i.status} | ${i.verdictChanges.length} | ${i.differences.length} | ${i.reason ?? ""} |`);
  for (const i of items.filter((x) => x.status === "differing" || x.status === "expected-differing")) {
    lines.push("", `${i.id} (${i.status}):`);
    for (const v of i.verdictChanges) lines.push(`  verdict ${v}`);
    for (const d of i.differences.slice(0, limit)) lines.push(`  ${d.path}: ${show(d.before)} → ${show(d.after)}`);
    if (i.differences.length > limit) lines.push(`  … ${i.differences.length - limit} more`);
  }
  const count = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  lines.push("", `${count("equal")} equal, ${count("differing")} differing, ${count("expected-differing")} expected-differing, ` +
    `${count("only-before")} only before, ${count("only-after")} only after`);
  return lines.join("\n");
}

function pairs(list: string[] | undefined, flag: string): Record<string, string> {
  return Object.fromEntries((list ?? []).map((p) => {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new Error(`${flag} expects OLD=NEW, got '${p}'`);
    return [p.slice(0, eq), p.slice(eq + 1)];
  }));
}

export function main(argv: string[]): number {
  let o;
  try {
    o = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      scale: { type: "string" }, rtol: { type: "string" }, expected: { type: "string" }, rename: { type: "string", multiple: true }, help: { type: "boolean", short: "h" },
    } });
    if (o.values.help) { console.log("usage: npx tsx tools/compare-smoke.ts BEFORE_DIR AFTER_DIR [--scale smoke] [--rtol 1e-6] [--expected FILE.json] [--rename OLD=NEW]..."); return 0; }
    if (o.positionals.length !== 2) throw new Error(`expected two results folders (before, after), got ${o.positionals.length}`);
    const rtol = o.values.rtol === undefined ? 1e-6 : Number(o.values.rtol);
    if (!(rtol >= 0)) throw new Error(`--rtol expects a number >= 0, got '${o.values.rtol}'`);
    let expected: Record<string, string> = {};
    if (o.values.expected) {
      try { expected = JSON.parse(readFileSync(o.values.expected, "utf8")) as Record<string, string>; } catch (e) { throw new Error(`--expected ${o.values.expected}: ${(e as Error).message}; expected a JSON object { "<id>": "<reason>" }`); }
    }
    const items = compareFolders(o.positionals[0]!, o.positionals[1]!, { rtol, scale: o.values.scale, expected, rename: pairs(o.values.rename, "--rename") });
    console.log(formatComparison(items));
    return items.some((i) => i.status === "differing") ? 1 : 0;
  } catch (e) {
    console.error(`compare-smoke: ${(e as Error).message}`);
    return 2;
  }
}

if (process.argv[1]?.endsWith("compare-smoke.ts")) process.exitCode = main(process.argv.slice(2));
