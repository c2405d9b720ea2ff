// imp:audit on scripts written here: results read from comments + flags, label typos flagged, unreadable
// comments listed, claims judged (PARTIAL on generated scripts, IN-LOG/MISMATCH logic via compareWithLog).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatedRunScript, lookupScriptClaims, scriptClaims, scriptResults } from "../../../src/figures/imp/audit.js";
import { formatCommentedCommands } from "../../../src/lib/logs/script-comments.js";
import { REGISTRY } from "../../../src/figures/registry.js";
import { runItem } from "../../../src/lib/repro/runner.js";
import { compareWithLog } from "../../../src/lib/repro/verdict.js";

const work = mkdtempSync(join(tmpdir(), "imp-audit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("imp:audit", () => {
  it("reads network, loss and value of every commented command of the generated script", () => {
    const { results, unreadComments } = scriptResults(generatedRunScript(1));
    expect(unreadComments).toEqual([]);
    expect(results.map((r) => r.run)).toEqual(["18", "34", "50"].flatMap((d) => ["tet", "sdt", "lts"].map((l) => `imagenet/sew-r${d}/${l}`)));
    expect(results.every((r) => r.value > 55 && r.value < 70 && !r.labelNote)).toBe(true);
  });
  it("flags a label that disagrees with the flags, lists comments that are not results", () => {
    const text = formatCommentedCommands([
      { comments: ["LST 64.3287"], command: ["python train_olts.py --model sew_resnet18", "--olts"] },
      { comments: ["TET 1.5", "tried twice"], command: ["python train.py --model sew_resnet34"] },
    ]);
    const { results, unreadComments } = scriptResults(text);
    expect(results.map((r) => [r.run, r.value, r.labelNote])).toEqual([
      ["imagenet/sew-r18/lts", 64.3287, "comment says 'LST', the flags select LTS (LST: a transposition of LTS)"],
      ["imagenet/sew-r34/sdt", 1.5, "comment says 'TET', the flags select SDT"],
    ]);
    expect(unreadComments).toEqual(["above the command at line 9: 'tried twice'"]);
  });
  it("every ImageNet run.sh claim is looked up; real-shaped values are IN-LOG, others MISMATCH, generated PARTIAL", () => {
    const claims = scriptClaims();
    expect(claims).toHaveLength(9);
    const planted = formatCommentedCommands(claims.map((c) => {
      const [, net, loss] = c.log!.run.split("/");
      return { comments: [`${loss!.toUpperCase()} ${c.value}`], command: [`python ${loss === "lts" ? "train_olts.py --olts" : "train.py"}${loss === "tet" ? " --tet" : ""} --model sew_resnet${net!.slice(5)}`] };
    }));
    const looked = lookupScriptClaims(scriptResults(planted).results, false);
    expect(looked.map((r, i) => compareWithLog(claims[i]!, r.log!).status)).toEqual(Array(9).fill("IN-LOG"));
    const shifted = lookupScriptClaims(scriptResults(planted.replace(/(# TET )(\d+)/, (_m, a: string, d: string) => `${a}${Number(d) + 1}`)).results, false);
    expect(compareWithLog(claims[0]!, shifted[0]!.log!).status).toBe("MISMATCH");
    expect(lookupScriptClaims([], true).every((r) => r.log!.selected === null)).toBe(true);
  });
  it("runs at smoke through the runner with PARTIAL verdicts", async () => {
    const report = await runItem(REGISTRY, REGISTRY.getItem("imp:audit")!, { scale: "smoke", outRoot: work, log: false });
    expect(report.comparisons).toHaveLength(9);
    expect(report.comparisons.every((c) => c.status === "PARTIAL")).toBe(true);
  });
});
