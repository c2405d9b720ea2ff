/**
 * MPE-PSN Fig. 4 (papers.md §2.6): (a, b) 2-D loss contours around the trained weights of the vanilla-LIF and
 * the MPE-PSN VGG on CIFAR10-DVS T = 4, with filter-normalised random directions (Li et al. 2018,
 * `metrics/landscape.ts`); (c) per-epoch summed training loss and test accuracy of both runs.
 *
 * Decisions (§5d-3): the landscape loss is the TET loss (λ = 1e-3, φ = 1; no L_mem) in evaluation mode on a
 * fixed test subset; grid α, β ∈ [−2, 2] (smoke 9 × 9, small 11 × 11, paper 21 × 21; drawn as a heatmap under the isolines); contour levels 0.1, 0.6,
 * …, 5.1 as the paper's. The same seeded directions are used for both networks where shapes match.
 * An interactive plotly surface of each landscape is written next to the report (fig4-surface-<net>.html).
 */
import { join } from "node:path";
import { tf } from "../../lib/backend/tf.js";
import { contourSpec, lineChart } from "../../lib/plot/charts.js";
import { savePlotlyHtml } from "../../lib/plot/plotly.js";
import type { ItemResult, Reproduced, RunContext } from "../../lib/repro/item.js";
import { disposeModule, parametersOf, resetModule, setTraining } from "../../lib/layers/module.js";
import { LOSSES } from "../../lib/losses/index.js";
import { filterNormalizedDirection, lossSurface } from "../../lib/metrics/landscape.js";
import { describeMpeSetting, mpeSetting, trainMpe, type MpeNeuron } from "./experiment.js";
import { authorsBeside, type OwnCurve } from "./authors-beside.js";

export const CONTOUR_LEVELS = Array.from({ length: 11 }, (_, i) => +(0.1 + 0.5 * i).toFixed(1));

function gridFor(scale: string): number[] {
  const n = scale === "smoke" ? 9 : scale === "small" ? 11 : 21;
  return Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  const s = mpeSetting("cifar10dvs", ctx.scale, 4);
  const grid = gridFor(ctx.scale);
  const bar = ctx.progress("Fig. 4 (2 trainings + 2 landscapes)", 2 + 2 * grid.length * grid.length);
  const reproduced: Reproduced[] = [];
  const curves: Record<string, unknown>[] = [];
  const surfaces: Record<string, number[][]> = {};
  const figures: ItemResult["figures"] = [];
  const own: OwnCurve[] = [];
  for (const net of ["lif", "mpe-psn"] as MpeNeuron[]) {
    const r = await trainMpe(s, net, ctx);
    bar.tick();
    const label = net === "lif" ? "vanilla LIF" : "MPE-PSN";
    own.push({ run: net === "lif" ? "cifar10dvs/T4-lif" : "cifar10dvs/T4", testAcc: r.history.map((h) => 100 * (h.testAcc ?? NaN)) });
    r.history.forEach((h, e) => curves.push(
      { epoch: e + 1, value: r.summedLoss[e]!, curve: `${label}: summed training loss` },
      { epoch: e + 1, value: 100 * (h.testAcc ?? NaN), curve: `${label}: test accuracy (%)` },
    ));
    reproduced.push(
      { claimId: net === "lif" ? "mpe-psn:fig4/lif-best-acc" : "mpe-psn:fig4/best-acc", value: r.bestTestAcc },
      { claimId: `mpe-psn:fig4/first-epoch-loss/${net}`, value: r.summedLoss[0] ?? null, note: `summed over ${r.history[0]?.steps ?? "?"} iterations (the paper's epoch has ${Math.floor(9000 / 32)})` },
    );
    // Landscape on the first test batch, evaluation mode.
    const params = parametersOf(r.model);
    const delta = filterNormalizedDirection(params, ctx.seed * 2 + 1), eta = filterNormalizedDirection(params, ctx.seed * 2 + 2);
    const b = await r.test.batch(0, 0);
    setTraining(r.model, false);
    const z = await lossSurface(params, delta, eta, {
      alphas: grid, betas: grid, onPoint: () => bar.tick(),
      loss: () => {
        resetModule(r.model);
        return tf.tidy(() => LOSSES["tet-original"].loss(r.model.forward(b.x), b.labels)).dataSync()[0]!;
      },
    });
    b.x.dispose();
    surfaces[net] = z;
    figures.push({ name: `fig4-${net}`, spec: contourSpec({ z, xs: grid, ys: grid, levels: CONTOUR_LEVELS, title: `Fig. 4${net === "lif" ? "a" : "b"}: loss landscape, ${label} (scale ${ctx.scale})`, xTitle: "α (direction δ)", yTitle: "β (direction η)", colorTitle: "TET loss" }) });
    await savePlotlyHtml({ data: [{ type: "surface", z, x: grid, y: grid }], layout: { title: `${label} loss surface`, scene: { xaxis: { title: "α" }, yaxis: { title: "β" }, zaxis: { title: "loss" } } } }, join(ctx.outDir, `fig4-surface-${net}.html`));
    disposeModule(r.model);
  }
  bar.finish();
  const beside = authorsBeside("fig4c-vs-authors", own, ctx.scale);
  figures.push({ name: "fig4c", spec: lineChart({ data: curves, x: "epoch", y: "value", color: "curve", title: `Fig. 4c: summed loss and test accuracy per epoch (scale ${ctx.scale})`, xTitle: "epoch", yTitle: "summed loss / accuracy (%)" }) }, ...beside.figures);
  return {
    title: "Fig. 4: loss landscapes of vanilla LIF and MPE-PSN around trained weights, loss and accuracy curves",
    data: { setting: s, grid, surfaces, curves },
    reproduced,
    figures,
    notes: [
      `Ran: ${describeMpeSetting(s)}, once per neuron.`,
      `Landscape: TET loss on the first test batch (${s.batchSize} samples), eval mode, filter-normalised Gaussian directions (seeds ${ctx.seed * 2 + 1}, ${ctx.seed * 2 + 2}), BN/bias/threshold/κ directions zero; grid ${grid.length} × ${grid.length} over [−2, 2]. Interactive surfaces: fig4-surface-lif.html, fig4-surface-mpe-psn.html.`,
      ...(ctx.scale === "paper" ? [] : ["Reduced scale: accuracies and losses are shown, not judged."]),
      ...beside.notes,
    ],
  };
}
