/**
 * Runs reproducible items and writes `results/<paper>/<item>/<scale>/`:
 * `result.json` (data, comparisons, provenance), `report.md` (the scale in its first line, then the
 * claimed-vs-reproduced table) and each figure as SVG + PNG (+ spec).
 */
import { join } from "node:path";
import { captionFigure, figureProblems } from "../plot/legibility.js";
import { saveFigure } from "../plot/render.js";
import { markdownTable } from "../plot/display.js";
import { resolveWorkers, type WorkersOption } from "../train/parallel/workers.js";
import { writeFileAtomic } from "../util/fs.js";
import { runContext, type ItemResult, type ReproItem } from "./item.js";
import type { Registry } from "./registry.js";
import { provenance, type Provenance } from "./provenance.js";
import { compareClaim, compareWithLog, type Comparison, type Scale } from "./verdict.js";

export const SCALES: Scale[] = ["smoke", "small", "paper"];

export interface RunOptions {
  scale?: Scale;
  outRoot?: string;
  seed?: number;
  /** Gradient workers for items that train (`RunContext.workers`; default auto). */
  workers?: WorkersOption;
  /** Print the table to stdout (default true). */
  log?: boolean;
  /**
   * What an illegible figure (`figureProblems`) does: "throw" after everything is written (default for a
   * cheap run — scale smoke, or an item estimated at ≤ 1 CPU minute at this scale — which is every run CI's
   * notebooks make), or "flag" it in the report and on stderr (default otherwise: an hour of results must not
   * be lost over a plot).
   */
  figureCheck?: "throw" | "flag";
}

export interface ItemReport {
  id: string;
  title: string;
  scale: Scale;
  outDir: string;
  comparisons: Comparison[];
  result: ItemResult;
  provenance: Provenance;
  /** What `figureProblems` found in the figures ("<figure>: <problem>"); empty when all are legible. */
  figureProblems: string[];
}

/** The default scale of an item: its declared default, else the smallest it supports. */
export function defaultScale(item: ReproItem): Scale {
  return item.defaultScale ?? SCALES.find((s) => item.scales.includes(s))!;
}

function fmt(v: number | null): string {
  if (v === null) return "—";
  return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(+v.toPrecision(6));
}

/**
 * "Scale: <scale>", and at a reduced scale with unjudged claims why: the report's first line (`markdown`) and,
 * shorter, the caption of every figure.
 */
export function scaleSentence(scale: Scale, comparisons: Comparison[], o: { markdown?: boolean } = {}): string {
  const reduced = scale !== "paper" && comparisons.some((c) => c.status === "PARTIAL");
  if (!o.markdown) return `Scale: ${scale}${reduced ? " — reduced-scale run: trained numbers shown, not judged" : ""}`;
  return `Scale: **${scale}**${reduced ? " — reduced-scale run: trained numbers below are shown, not judged; only the paper scale gives verdicts on them" : ""}.`;
}

export function reportMarkdown(registry: Registry, r: ItemReport, item: ReproItem): string {
  const lines = [
    scaleSentence(r.scale, r.comparisons, { markdown: true }),
    "",
    `# ${r.id} — ${r.title}`,
    "",
    `Paper: ${registry.paper(item.paper).title}`,
    "",
    markdownTable(r.comparisons.map((c) => ({
      claim: c.claimId.split("/").slice(1).join("/") || c.claimId, quantity: c.quantity, paper: `${fmt(c.paper)} ${c.unit}`.trim(),
      reproduced: `${fmt(c.reproduced)} ${c.reproduced === null ? "" : c.unit}`.trim(), "Δ": fmt(c.delta), tolerance: c.tolerance, status: c.status, note: c.note ?? "", "paper's source": c.source,
    }))),
    "",
    ...(r.result.notes.length ? ["## Notes", "", ...r.result.notes.map((n) => `- ${n}`), ""] : []),
    ...(r.figureProblems.length ? ["## Figure problems", "", ...r.figureProblems.map((p) => `- ${p}`), ""] : []),
    "## Environment",
    "",
    `backend ${r.provenance.backend}, TF.js ${r.provenance.tfjs}, Node ${r.provenance.node}, ${r.provenance.cpu} × ${r.provenance.cores}, ` +
      `seed ${r.provenance.seed}${r.provenance.workers !== undefined ? `, training workers ≤ ${r.provenance.workers}` : ""}, wall ${r.provenance.wallS.toFixed(1)} s, commit ${r.provenance.git.commit ?? "unknown"}${r.provenance.git.dirty ? " (dirty)" : ""}.`,
    "",
    ...r.result.figures.map((f) => `![${f.name}](${f.name}.png)`),
  ];
  return lines.join("\n") + "\n";
}

/** Run one item of a registry at one scale and write its results. */
export async function runItem(registry: Registry, item: ReproItem, opts: RunOptions = {}): Promise<ItemReport> {
  if (item.status !== "ready" || !item.load) throw new Error(`${item.id} is not built yet: ${item.reason ?? "no figure module"}`);
  const scale = opts.scale ?? defaultScale(item);
  if (!item.scales.includes(scale)) throw new Error(`${item.id} does not support --scale ${scale}; it supports ${item.scales.join(", ")}`);
  const seed = opts.seed ?? 0;
  const ctx = runContext({ outRoot: opts.outRoot ?? "results", paper: item.paper, item: item.item, scale, seed, workers: opts.workers });
  const outDir = ctx.outDir;
  const t0 = performance.now();
  const run = await item.load();
  const result = await run(ctx);
  const wallS = (performance.now() - t0) / 1000;
  const given = new Map(result.reproduced.map((r) => [r.claimId, r]));
  for (const id of given.keys()) registry.getClaim(id); // every reproduced value must name a registered claim
  // The item's own claims, then any other item's claims it reproduced (Fig. 5 reports Table 10's values).
  const own = registry.claimsFor(item.paper, item.item);
  const borrowed = [...given.keys()].filter((id) => !own.some((c) => c.id === id)).map((id) => registry.getClaim(id));
  const comparisons = [...own, ...borrowed].map((c) => {
    const r = given.get(c.id);
    if (r?.log) return compareWithLog(c, r.log);
    return compareClaim(c, r?.value ?? null, scale, r?.note ?? (r ? undefined : "not computed by this item at this scale"));
  });
  // Every figure says at which scale it ran, and is checked for legibility (issue #15 item 7).
  const caption = scaleSentence(scale, comparisons);
  const figures = result.figures.map((f) => ({ ...f, spec: captionFigure(f.spec, caption) }));
  const problems = figures.flatMap((f) => figureProblems(f.spec).map((p) => `${f.name}: ${p}`));
  const shown: ItemResult = { ...result, figures };
  const report: ItemReport = { id: item.id, title: result.title, scale, outDir, comparisons, result: shown, provenance: provenance({ seed, scale, wallS, workers: resolveWorkers(ctx.workers, true) }), figureProblems: problems };
  for (const f of figures) await saveFigure(f.spec, outDir, f.name);
  await writeFileAtomic(join(outDir, "result.json"), JSON.stringify({
    id: item.id, title: result.title, scale, comparisons, data: result.data, notes: result.notes, figures: figures.map((f) => `${f.name}.svg`),
    ...(problems.length ? { figureProblems: problems } : {}), environment: report.provenance,
  }, null, 1));
  await writeFileAtomic(join(outDir, "report.md"), reportMarkdown(registry, report, item));
  if (problems.length) {
    const message = `${item.id} at scale ${scale}: illegible figure(s), see ${join(outDir, "report.md")}:\n  ${problems.join("\n  ")}`;
    const cheap = scale === "smoke" || (item.needs.cpuMinutes[scale] ?? Infinity) <= 1;
    if ((opts.figureCheck ?? (cheap ? "throw" : "flag")) === "throw") throw new Error(message);
    console.warn(`warning: ${message}`);
  }
  if (opts.log ?? true) {
    console.log(`\n=== ${item.id} — ${result.title} (scale: ${scale}) ===`);
    console.table(comparisons.map((c) => ({ claim: c.claimId, paper: c.paper, reproduced: c.reproduced, status: c.status })));
    console.log(`wrote ${outDir}/{result.json,report.md${result.figures.map((f) => `,${f.name}.svg,${f.name}.png`).join("")}}`);
  }
  return report;
}

/**
 * The `list` table; `estimates` (item id → one line, from `estimate.ts`) adds the paper-scale estimate column,
 * headed with the backend they are for.
 */
export function listItems(registry: Registry, o: { estimates?: Map<string, string>; backend?: string } = {}): string {
  const column = `paper-scale estimate${o.backend ? ` (${o.backend})` : ""}`;
  const rows = registry.items.map((i) => ({
    id: i.id,
    status: i.status,
    title: i.title,
    scales: i.scales.join("/"),
    "CPU min": Object.entries(i.needs.cpuMinutes).map(([s, m]) => `${s} ${m}`).join(", "),
    dataset: i.needs.dataset ?? "—",
    GPU: i.needs.gpu ? "yes (paper scale)" : "no",
    "why not built": i.reason ?? "",
    ...(o.estimates ? { [column]: o.estimates.get(i.id) ?? "—" } : {}),
  }));
  return markdownTable(rows);
}
