/** The cells of an item's notebook (see tools/item-notebooks.ts). */
import { REGISTRY } from "../src/figures/registry.js";
import { defaultScale } from "../src/lib/repro/runner.js";

export function itemCellsFor(id: string): string {
  const item = REGISTRY.getItem(id)!;
  const scale = defaultScale(item);
  return `%% md
# ${item.id} — ${item.title}

Paper: ${REGISTRY.paper(item.paper).title}

A thin shell over \`src/figures/${item.paper}/\`: \`reproduce("${item.id}")\` runs the item exactly as
\`npx tsx reproduce.ts ${item.id}\` does, writes \`results/${item.paper}/${item.item}/<scale>/\` and returns the report.
It runs at scale **${scale}** here (${scale === "paper" ? "this item computes the paper's full setting at any scale" : "a reduced-scale run: its trained numbers are shown, not judged"});
set \`SPIKELAB_NOTEBOOK_SCALE\` or edit \`scale\` for \`small\` / \`paper\`. The report's first line states the scale.
%% ts
import * as sl from "../dist/index.js";
import * as kit from "../dist/figures/index.js";
const backend = await sl.initBackend();
%% ts
const [report] = await kit.reproduce("${item.id}", { scale: (process.env.SPIKELAB_NOTEBOOK_SCALE ?? "${scale}") as kit.Scale });
await kit.showReport(report!);
%% ts
console.log(JSON.stringify({ id: report!.id, scale: report!.scale, verdicts: kit.verdictCounts(report!), wallS: report!.provenance.wallS }));
`;
}
