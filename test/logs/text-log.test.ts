// Python-logging text logs written by formatLogLine: parsed values and their rounding, running-best lines,
// blank and foreign lines counted with line numbers, empty logs and logs without the required key.
import { describe, expect, it } from "vitest";
import { formatLogLine, readTextLog } from "../../src/lib/logs/text-log.js";

const t = new Date(Date.UTC(2024, 8, 1, 14, 19, 2, 270));
const train = formatLogLine({ time: t, source: "train.py", lineNo: 321, epoch: [148, 230], values: [["loss", 15.38564, 5], ["acc", 99.745, 3]] });
const test = formatLogLine({ time: t, source: "train.py", lineNo: 330, epoch: [148, 230], values: [["Test acc", 100, 3]] });
const best = formatLogLine({ time: t, source: "train.py", lineNo: 339, values: [["Best Test acc", 96.875, 3]] });

describe("text logs", () => {
  it("writer emits the logging layout the reader expects", () => {
    expect(train).toBe("[2024-09-01 14:19:02,270][train.py][line:321][INFO] Epoch:[148/230]\t loss=15.38564\t acc=99.745");
    expect(best).toBe("[2024-09-01 14:19:02,270][train.py][line:339][INFO] Best Test acc=96.875");
  });
  it("epoch lines, running best, other messages; values keep their written rounding", () => {
    const start = formatLogLine({ time: t, source: "train.py", lineNo: 313, message: "start training!" });
    const r = readTextLog([start, train, test, best].join("\n") + "\n", "a.log", { requireKeys: ["Test acc"] });
    expect(r.problems).toEqual([]);
    expect(r.lines).toBe(4);
    expect(r.otherMessages).toBe(1);
    expect(r.records.map((x) => [x.line, x.epoch, x.planned, x.values])).toEqual([
      [2, 148, 230, { loss: 15.38564, acc: 99.745 }], [3, 148, 230, { "Test acc": 100 }], [4, undefined, undefined, { "Best Test acc": 96.875 }],
    ]);
    expect(r.records[0]!.halfUnits).toEqual({ loss: 0.000005, acc: 0.0005 });
    expect(r.records[1]!.halfUnits["Test acc"]).toBe(0.0005); // "100.000", not "100"
  });
  it("blank lines are skipped; a traceback is 'unparseable' with its line number; the rest is read", () => {
    const r = readTextLog([train, "", "Traceback (most recent call last):", test, "\tx = 1/0"].join("\r\n"), "b.log");
    expect(r.blank).toBe(1);
    expect(r.records).toHaveLength(2);
    expect(r.problems.map((p) => [p.line, p.kind])).toEqual([[3, "unparseable"], [5, "unparseable"]]);
    expect(r.problems[0]!.message).toMatch(/Traceback/);
  });
  it("an epoch line whose parts are not all key=number is reported, not half-read", () => {
    const odd = train.replace("acc=99.745", "acc=high");
    const r = readTextLog(odd, "c.log");
    expect(r.records).toEqual([]);
    expect(r.problems[0]).toMatchObject({ line: 1, kind: "unparseable" });
  });
  it("empty log; log with no test lines", () => {
    expect(readTextLog("", "e.log").problems).toEqual([{ file: "e.log", kind: "empty", message: "the log is empty" }]);
    expect(readTextLog(" \n\n", "e.log").problems[0]!.kind).toBe("empty");
    const r = readTextLog(train, "n.log", { requireKeys: ["Test acc"] });
    expect(r.problems).toEqual([{ file: "n.log", kind: "missing-key", message: "no line carries 'Test acc=' (1 numeric line(s) read)" }]);
  });
});
