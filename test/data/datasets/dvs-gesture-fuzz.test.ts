// Seeded mutation fuzz of the DVS Gesture labels CSV (issue #20): every mutated file either parses to rows
// that keep every promise of parseGestureLabels (decimal integers, class 1..11, end > start, disjoint
// windows, lines that hold those numbers) or fails with a TextFileError naming the file and a line of it.
import { describe, expect, it } from "vitest";
import { parseGestureLabels } from "../../../src/lib/data/datasets/dvs-gesture.js";
import { TextFileError } from "../../../src/lib/data/errors.js";
import { Rng } from "../../../src/lib/util/random.js";
import { Outcomes, pick } from "../fuzz-helpers.js";

const CASES = 300;
const CHARS = ["", "0", "1", "9", ",", " ", "-", ".", "e", "x", "a", "\n", "\r\n", "12", "+", "\t", "\uFEFF"];

/** A labels CSV as generateDvsGesture writes it (header, then disjoint gestures with gaps). */
function csv(rng: Rng): string {
  const rows = ["class,startTime_usec,endTime_usec"];
  let t = rng.int(2) * 2 ** 31 + rng.int(1_000_000);
  for (let i = 0, n = 1 + rng.int(11); i < n; i++) {
    t += rng.int(30_000);
    const len = 1 + rng.int(60_000);
    rows.push(`${1 + rng.int(11)},${t},${t + len}`);
    t += len;
  }
  return rows.join(pick(["\n", "\r\n"], rng)) + "\r\n";
}

function mutate(text: string, rng: Rng): string {
  const lines = text.split("\n");
  const i = rng.int(lines.length);
  switch (rng.int(6)) {
    case 0: lines.splice(i, 1); return lines.join("\n"); // drop a line (the header, too)
    case 1: lines.splice(i, 0, lines[rng.int(lines.length)]!); return lines.join("\n"); // duplicate one: overlaps
    case 2: { // swap two fields of a row
      const f = lines[i]!.split(",");
      if (f.length === 3) { const a = rng.int(3), b = rng.int(3); [f[a], f[b]] = [f[b]!, f[a]!]; }
      lines[i] = f.join(","); return lines.join("\n");
    }
    default: { // replace, insert or delete characters
      const at = rng.int(text.length + 1);
      const cut = rng.int(3);
      return text.slice(0, at) + pick(CHARS, rng) + text.slice(at + cut);
    }
  }
}

describe("seeded mutation fuzz of the DVS Gesture labels CSV (issue #20)", () => {
  it(`${CASES} mutated CSVs → valid rows or a TextFileError with file and line`, () => {
    const rng = new Rng(20_030);
    const seen = new Outcomes();
    for (let k = 0; k < CASES; k++) {
      let text = csv(rng);
      for (let m = 1 + rng.int(3); m > 0; m--) text = mutate(text, rng);
      const label = `seed 20030 case ${k}: ${JSON.stringify(text.slice(0, 120))}`;
      const nLines = text.split(/\r?\n/).length;
      let rows: ReturnType<typeof parseGestureLabels>;
      try {
        rows = parseGestureLabels(text, "fuzz_labels.csv");
      } catch (e) {
        if (!(e instanceof TextFileError)) throw new Error(`${label}: ${String(e)}`);
        expect(e.file, label).toBe("fuzz_labels.csv");
        expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= nLines + 1, `${label}: line ${e.line}`).toBe(true);
        expect(e.message.startsWith(`fuzz_labels.csv: at line ${e.line}: expected `), label).toBe(true);
        seen.add("TextFileError");
        continue;
      }
      expect(rows.length, label).toBeGreaterThan(0);
      const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
      for (const r of rows) {
        expect(Number.isSafeInteger(r.start) && Number.isSafeInteger(r.end) && r.start >= 0 && r.end > r.start, label).toBe(true);
        expect(r.cls >= 1 && r.cls <= 11 && Number.isInteger(r.cls), label).toBe(true);
        expect(lines[r.line - 1]!.split(",").map((f) => Number(f.trim())), label).toEqual([r.cls, r.start, r.end]);
      }
      const sorted = [...rows].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start, label).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
      seen.add("valid rows");
    }
    expect(seen.get("TextFileError")).toBeGreaterThan(50);
    expect(seen.get("valid rows")).toBeGreaterThan(20);
  });
});
