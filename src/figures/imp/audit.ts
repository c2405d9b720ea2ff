/**
 * `imp:audit`: the IMP repository releases no ImageNet training logs, but its `in1k/LTS/run.sh` writes each
 * SEW-ResNet result as a comment above the command that trained it (`# TET 62.9167`). The audit pairs every
 * comment with its command — the network from `--model`, the loss from the script and flags (`--tet` → TET,
 * `train_olts.py --olts` → LTS, neither → SDT) — checks the comment's label against the flags, and judges the
 * registry's ImageNet claims against those numbers: IN-LOG (the number is the authors' own record; which
 * epoch or selection produced it is not stated), or MISMATCH with the nearest comments.
 *
 * A separate item from `mpe-psn:audit` because the evidence is another paper's, of another kind (a script,
 * not logs); both share the verdict machinery (`compareWithLog`) and the fetch command.
 * Scales: `small`/`paper` read the fetched script (`data/fetch/official-logs.ts --paper imp`); `smoke` writes
 * a generated script of the same shape with seeded numbers and audits it (PARTIAL verdicts).
 */
import { join } from "node:path";
import { commentedCommands, formatCommentedCommands } from "../../lib/logs/script-comments.js";
import { barChart } from "../../lib/plot/charts.js";
import type { Claim } from "../../lib/repro/claims.js";
import { CLAIMS } from "./claims.js";
import type { ItemResult, Reproduced, RunContext } from "../../lib/repro/item.js";
import { Rng } from "../../lib/util/random.js";
import { writeFileAtomic } from "../../lib/util/fs.js";
import { fetchCommand, officialLogsDir, OFFICIAL_SOURCES, readOfficialFile } from "../official-logs.js";

export const RUN_SCRIPT = "in1k/LTS/run.sh";

export interface ScriptResult {
  line: number;
  /** `imagenet/sew-r18/tet` — the run ids the claims registry names. */
  run: string;
  model: string;
  loss: "tet" | "sdt" | "lts";
  label: string;
  value: number;
  /** The comment's label disagrees with the loss the flags select (e.g. a typo). */
  labelNote?: string;
}

const LABEL = /^([A-Za-z-]+)\s+([-+]?\d+(?:\.\d+)?)\s*$/;

/** Read the results the script's comments record; commands without such a comment are skipped. */
export function scriptResults(text: string): { results: ScriptResult[]; unreadComments: string[] } {
  const results: ScriptResult[] = [];
  const unreadComments: string[] = [];
  for (const c of commentedCommands(text)) {
    const model = /--model\s+(\S+)/.exec(c.command)?.[1];
    const loss = /--olts\b/.test(c.command) || /train_olts\.py/.test(c.command) ? "lts" : /--tet\b/.test(c.command) ? "tet" : "sdt";
    for (const comment of c.comments) {
      const m = LABEL.exec(comment);
      if (!m || !model) { unreadComments.push(`above the command at line ${c.line}: '${comment}'`); continue; }
      const label = m[1]!.toUpperCase();
      const net = model.replace(/^sew_resnet(\d+)$/, "sew-r$1");
      const r: ScriptResult = { line: c.line, run: `imagenet/${net}/${loss}`, model, loss, label, value: Number(m[2]) };
      if (label.toLowerCase() !== loss) r.labelNote = `comment says '${label}', the flags select ${loss.toUpperCase()}${label === "LST" && loss === "lts" ? " (LST: a transposition of LTS)" : ""}`;
      results.push(r);
    }
  }
  return { results, unreadComments };
}

/** The IMP claims that name the script. */
export function scriptClaims(): Claim[] {
  return CLAIMS.filter((c) => c.log?.file === RUN_SCRIPT);
}

export function lookupScriptClaims(results: readonly ScriptResult[], generated: boolean, note?: string): Reproduced[] {
  const candidates = results.map((r) => ({ value: r.value, where: `${RUN_SCRIPT} line ${r.line} (${r.model}, ${r.loss.toUpperCase()})` }));
  return scriptClaims().map((c) => {
    const r = results.find((x) => x.run === c.log!.run);
    const selected = r ? { value: r.value, where: `${RUN_SCRIPT} line ${r.line}: '# ${r.label} ${r.value}' above the ${r.model} ${r.loss.toUpperCase()} command` } : null;
    return { claimId: c.id, value: r?.value ?? null, log: { selected, candidates, generated, note: `${r?.labelNote ? `${r.labelNote}; ` : ""}no training log released: which epoch (best or last) the number is is not stated.${note ? ` ${note}` : ""}` } };
  });
}

/** A generated script of the real one's shape (3 networks × TET/SDT/LTS), seeded numbers, for smoke. */
export function generatedRunScript(seed: number): string {
  const rng = new Rng(seed);
  return formatCommentedCommands([18, 34, 50].flatMap((depth) => (["TET", "SDT", "LTS"] as const).map((loss) => ({
    comments: [`${loss} ${(55 + 15 * rng.next()).toFixed(4)}`],
    command: [`python -m torch.distributed.launch --use_env ${loss === "LTS" ? "train_olts.py" : "train.py"} --model sew_resnet${depth}`, `--T 4 --lr 0.05 --epoch 320${loss === "TET" ? " --tet" : loss === "LTS" ? " --olts" : ""}`],
  }))));
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  const generated = ctx.scale === "smoke";
  let text: string | null = null;
  let missing: string | undefined;
  if (generated) {
    text = generatedRunScript(ctx.seed);
    await writeFileAtomic(join(ctx.outDir, "generated-run.sh"), text);
  } else {
    const f = readOfficialFile(officialLogsDir("imp"), RUN_SCRIPT, "imp");
    if ("missing" in f) missing = f.missing;
    else text = Buffer.from(f.bytes).toString("utf8");
  }
  const { results, unreadComments } = text === null ? { results: [], unreadComments: [] } : scriptResults(text);
  const src = OFFICIAL_SOURCES.imp;
  return {
    title: "Audit of IMP's ImageNet claims against the results recorded in the authors' in1k/LTS/run.sh",
    data: { script: generated ? { generated: true } : { repo: src.repo, commit: src.commit, path: RUN_SCRIPT }, results, unreadComments },
    reproduced: lookupScriptClaims(results, generated, missing),
    figures: results.length ? [{ name: "run-sh-results", spec: barChart({ data: results.map((r) => ({ network: r.model, loss: r.loss.toUpperCase(), accuracy: r.value })), x: "network", y: "accuracy", color: "loss", title: `ImageNet top-1 written in ${RUN_SCRIPT} (${generated ? "generated stand-in, smoke" : `${src.repo} @ ${src.commit.slice(0, 7)}`})`, xTitle: "network (T = 4, IF, no IMP)", yTitle: "top-1 accuracy (%)" }) }] : [],
    notes: [
      generated ? `Scale smoke: a generated script of the same shape (seeded numbers) was audited, not the authors'; verdicts are PARTIAL. Run --scale paper after '${fetchCommand("imp")}'.` : `Script: ${src.repo} at ${src.commit}, ${RUN_SCRIPT}.`,
      ...(missing ? [missing] : []),
      ...results.filter((r) => r.labelNote).map((r) => `line ${r.line}: ${r.labelNote}.`),
      ...(unreadComments.length ? [`Comments not read as results: ${unreadComments.join("; ")}`] : []),
      "These numbers come with no log: neither the epoch nor the selection rule (best over epochs vs last) is recorded.",
    ],
  };
}
