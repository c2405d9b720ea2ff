/**
 * Runs reproducible items and writes `results/<paper>/<item>/<scale>/`:
 * `result.json` (data, comparisons, provenance), `report.md` (the scale in its first line, then the
 * claimed-vs-reproduced table) and each figure as SVG + PNG (+ spec).
 */
import { join } from "node:path";
import { saveFigure } from "../plot/render.js";
import { markdownTable } from "../plot/display.js";
import { writeFileAtomic } from "../util/fs.js";
import { ProgressBar } from "../util/progress.js";
import { claimsFor, getClaim, PAPERS, type PaperId } from "./claims.js";
import type { ItemResult, ReproItem } from "./item.js";
import { getItem, ITEMS } from "./items.js";
import { provenance, type Provenance } from "./provenance.js";
import { compareClaim, type Comparison, type Scale } from "./verdict.js";

export const SCALES: Scale[] = ["smoke", "small", "paper"];

export interface RunOptions {
  scale?: Scale;
  outRoot?: string;
  seed?: number;
  /** Print the table to stdout (default true). */
  log?: boolean;
}

export interface ItemReport {
  id: string;
  title: string;
  scale: Scale;
  outDir: string;
  comparisons: Comparison[];
  result: ItemResult;
  provenance: Provenance;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

export function closestIds(query: string, n = 3): string[] {
  const q = query.toLowerCase();
  return ITEMS.map((i) => ({ id: i.id, d: Math.min(editDistance(q, i.id), editDistance(q, i.item) + 1) }))
    .sort((x, y) => x.d - y.d || x.id.localeCompare(y.id))
    .slice(0, n)
    .map((x) => x.id);
}

/**
 * Resolve a user id: `paper:item`, or a bare item (`table2`) meaning that item of every paper that
 * has one. Throws, listing the closest ids, when nothing matches.
 */
export function resolveIds(query: string): ReproItem[] {
  const exact = getItem(query);
  if (exact) return [exact];
  if (!query.includes(":")) {
    const matches = ITEMS.filter((i) => i.item === query);
    if (matches.length) return matches;
  }
  throw new Error(`unknown item '${query}'. Closest: ${closestIds(query).join(", ")}. Run 'npx tsx reproduce.ts list' for all ids.`);
}

/** The default scale of an item: its declared default, else the smallest it supports. */
export function defaultScale(item: ReproItem): Scale {
  return item.defaultScale ?? SCALES.find((s) => item.scales.includes(s))!;
}

function fmt(v: number | null): string {
  if (v === null) return "—";
  return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(+v.toPrecision(6));
}

export function reportMarkdown(r: ItemReport, item: ReproItem): string {
  const judged = r.comparisons.some((c) => c.status === "PARTIAL");
  const lines = [
    `Scale: **${r.scale}**${r.scale === "paper" ? "" : judged ? " — reduced-scale run: trained numbers below are shown, not judged; only the paper scale gives verdicts on them" : ""}.`,
    "",
    `# ${r.id} — ${r.title}`,
    "",
    `Paper: ${PAPERS[item.paper]}`,
    "",
    markdownTable(r.comparisons.map((c) => ({
      claim: c.claimId.split("/").slice(1).join("/") || c.claimId, quantity: c.quantity, paper: `${fmt(c.paper)} ${c.unit}`.trim(),
      reproduced: `${fmt(c.reproduced)} ${c.reproduced === null ? "" : c.unit}`.trim(), "Δ": fmt(c.delta), tolerance: c.tolerance, status: c.status, note: c.note ?? "", "paper's source": c.source,
    }))),
    "",
    ...(r.result.notes.length ? ["## Notes", "", ...r.result.notes.map((n) => `- ${n}`), ""] : []),
    "## Environment",
    "",
    `backend ${r.provenance.backend}, TF.js ${r.provenance.tfjs}, Node ${r.provenance.node}, ${r.provenance.cpu} × ${r.provenance.cores}, ` +
      `seed ${r.provenance.seed}, wall ${r.provenance.wallS.toFixed(1)} s, commit ${r.provenance.git.commit ?? "unknown"}${r.provenance.git.dirty ? " (dirty)" : ""}.`,
    "",
    ...r.result.figures.map((f) => `![${f.name}](${f.name}.png)`),
  ];
  return lines.join("\n") + "\n";
}

/** Run one item at one scale and write its results. */
export async function runItem(item: ReproItem, opts: RunOptions = {}): Promise<ItemReport> {
  if (item.status !== "ready" || !item.load) throw new Error(`${item.id} is not built yet: ${item.reason ?? "no figure module"}`);
  const scale = opts.scale ?? defaultScale(item);
  if (!item.scales.includes(scale)) throw new Error(`${item.id} does not support --scale ${scale}; it supports ${item.scales.join(", ")}`);
  const seed = opts.seed ?? 0;
  const outDir = join(opts.outRoot ?? "results", item.paper, item.item, scale);
  const t0 = performance.now();
  const run = await item.load();
  const result = await run({ scale, seed, outDir, progress: (label, total) => new ProgressBar(label, total) });
  const wallS = (performance.now() - t0) / 1000;
  const given = new Map(result.reproduced.map((r) => [r.claimId, r]));
  for (const id of given.keys()) getClaim(id); // every reproduced value must name a registered claim
  // The item's own claims, then any other item's claims it reproduced (Fig. 5 reports Table 10's values).
  const own = claimsFor(item.paper as PaperId, item.item);
  const borrowed = [...given.keys()].filter((id) => !own.some((c) => c.id === id)).map(getClaim);
  const comparisons = [...own, ...borrowed].map((c) => {
    const r = given.get(c.id);
    return compareClaim(c, r?.value ?? null, scale, r?.note ?? (r ? undefined : "not computed by this item at this scale"));
  });
  const report: ItemReport = { id: item.id, title: result.title, scale, outDir, comparisons, result, provenance: provenance({ seed, scale, wallS }) };
  for (const f of result.figures) await saveFigure(f.spec, outDir, f.name);
  await writeFileAtomic(join(outDir, "result.json"), JSON.stringify({
    id: item.id, title: result.title, scale, comparisons, data: result.data, notes: result.notes, figures: result.figures.map((f) => `${f.name}.svg`), environment: report.provenance,
  }, null, 1));
  await writeFileAtomic(join(outDir, "report.md"), reportMarkdown(report, item));
  if (opts.log ?? true) {
    console.log(`\n=== ${item.id} — ${result.title} (scale: ${scale}) ===`);
    console.table(comparisons.map((c) => ({ claim: c.claimId, paper: c.paper, reproduced: c.reproduced, status: c.status })));
    console.log(`wrote ${outDir}/{result.json,report.md${result.figures.map((f) => `,${f.name}.svg,${f.name}.png`).join("")}}`);
  }
  return report;
}

/** The `list` table. */
export function listItems(): string {
  const rows = ITEMS.map((i) => ({
    id: i.id,
    status: i.status,
    title: i.title,
    scales: i.scales.join("/"),
    "CPU min": Object.entries(i.needs.cpuMinutes).map(([s, m]) => `${s} ${m}`).join(", "),
    dataset: i.needs.dataset ?? "—",
    GPU: i.needs.gpu ? "yes (paper scale)" : "no",
    "why not built": i.reason ?? "",
  }));
  return markdownTable(rows);
}
