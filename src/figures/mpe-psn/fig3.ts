/**
 * MPE-PSN Fig. 3 (papers.md §2.6), on DVS128 Gesture:
 * - 3a: per-epoch distance Σ_layers Σ_t ‖u_t^seq − U_t‖₂ between the sequential vanilla-LIF potential and the
 *   parallel one (accumulated over the epoch's iterations, as `calMemDist`), for runs with and without L_mem,
 *   plus the test accuracy — every curve min-max normalised to [0, 1] (decision §5d-3);
 * - 3b: per-layer spike rate (%) of the MPE-PSN network and of the same network with the vanilla LIF
 *   (τ = 0.25, θ = 1), averaged over T, neurons and test samples (decision §5d-3).
 */
import { lineChart, barChart } from "../../lib/plot/charts.js";
import type { ItemResult, Reproduced, RunContext } from "../../lib/repro/item.js";
import { networkFiringRates } from "../../lib/metrics/rates.js";
import type { tf } from "../../lib/backend/tf.js";
import type { FrameLoader } from "../../lib/data/loader.js";
import { disposeModule, type Module } from "../../lib/layers/module.js";
import { describeMpeSetting, minMax, mpeSetting, trainMpe } from "./experiment.js";
import { authorsBeside } from "./authors-beside.js";

function scaleNote(scale: string, T: number): string[] {
  return scale === "paper" ? [] : [`Reduced scale (${scale}): ${T === 16 ? "" : `T = ${T} instead of 16, `}numbers are shown, not judged.`];
}

export async function runFig3a(ctx: RunContext): Promise<ItemResult> {
  const s = mpeSetting("dvsgesture", ctx.scale);
  const bar = ctx.progress("Fig. 3a runs (with / without L_mem)", 2);
  const withMem = await trainMpe(s, "mpe-psn", ctx, { trackDistance: true });
  bar.tick();
  const without = await trainMpe(s, "mpe-psn", ctx, { trackDistance: true, lambdaMem: 0 });
  bar.tick();
  bar.finish();
  const acc = withMem.history.map((h) => 100 * (h.testAcc ?? NaN));
  const bestEpoch = acc.indexOf(Math.max(...acc)) + 1;
  const curves = [
    ...minMax(withMem.distance).map((v, e) => ({ epoch: e + 1, value: v, curve: `distance, with L_mem (λ = ${s.lambdaMem})` })),
    ...minMax(without.distance).map((v, e) => ({ epoch: e + 1, value: v, curve: "distance, without L_mem" })),
    ...minMax(acc).map((v, e) => ({ epoch: e + 1, value: v, curve: "test accuracy (with L_mem)" })),
  ];
  disposeModule(withMem.model);
  disposeModule(without.model);
  const beside = authorsBeside("fig3a-vs-authors", [{ run: "dvsgesture/T16", testAcc: acc }], ctx.scale);
  return {
    title: "Fig. 3a: distance between estimated and sequential potential, with / without L_mem, and accuracy (min-max normalised)",
    data: { setting: s, withMem: { distance: withMem.distance, testAcc: acc }, withoutMem: { distance: without.distance, testAcc: without.history.map((h) => 100 * (h.testAcc ?? NaN)) } },
    reproduced: [
      { claimId: "mpe-psn:fig3a/best-acc", value: withMem.bestTestAcc },
      { claimId: "mpe-psn:fig3a/best-epoch", value: bestEpoch, note: `of ${s.epochs} epochs` },
    ],
    figures: [{ name: "fig3a", spec: lineChart({ data: curves, x: "epoch", y: "value", color: "curve", title: `MPE-PSN Fig. 3a (DVSGesture, scale ${ctx.scale})`, xTitle: "epoch", yTitle: "normalised value (min-max per curve)" }) }, ...beside.figures],
    notes: [
      `Ran: ${describeMpeSetting(s)}; twice: λ_mem = ${s.lambdaMem} and λ_mem = 0.`,
      "Distance = Σ over the epoch's iterations and the MPE-PSN layers of Σ_t ‖u_t − U_t‖₂ (Frobenius over the batch), u from the sequential LIF with θ = 1 as the official calMemDist; the shipped tfevents hold dist ≡ 0, so the paper's curves cannot be compared numerically.",
      ...scaleNote(ctx.scale, s.T),
      ...beside.notes,
    ],
  };
}

async function testBatches(test: FrameLoader): Promise<tf.Tensor[]> {
  const xs: tf.Tensor[] = [];
  for (let i = 0; i < test.batchesPerEpoch(); i++) xs.push((await test.batch(0, i)).x);
  return xs;
}

/** Per spiking layer (conv.0 … conv.4, fc1) rate in %, in forward order. */
export async function neuronLayerRates(model: Module, test: FrameLoader): Promise<[string, number][]> {
  const xs = await testBatches(test);
  const rates = await networkFiringRates(model, xs);
  xs.forEach((x) => x.dispose());
  return [...rates].filter(([name]) => name.endsWith(".neuron")).map(([n, r]) => [n, 100 * r]);
}

export async function runFig3b(ctx: RunContext): Promise<ItemResult> {
  const s = mpeSetting("dvsgesture", ctx.scale);
  const bar = ctx.progress("Fig. 3b runs (MPE-PSN, vanilla LIF)", 2);
  const reproduced: Reproduced[] = [];
  const rows: { network: string; layer: number; rate: number }[] = [];
  for (const net of ["mpe-psn", "lif"] as const) {
    const r = await trainMpe(s, net, ctx);
    const rates = await neuronLayerRates(r.model, r.test);
    rates.forEach(([name, rate], i) => {
      rows.push({ network: net === "lif" ? "vanilla LIF" : "MPE-PSN", layer: i + 1, rate });
      reproduced.push({ claimId: `mpe-psn:fig3b/${net}/layer=${i + 1}`, value: rate, note: name });
    });
    disposeModule(r.model);
    bar.tick();
  }
  bar.finish();
  return {
    title: "Fig. 3b: per-layer spike rate of MPE-PSN vs vanilla-LIF networks (DVSGesture test set)",
    data: { setting: s, rows },
    reproduced,
    figures: [{ name: "fig3b", spec: barChart({ data: rows.map((r) => ({ ...r, layer: `layer ${r.layer}` })), x: "layer", y: "rate", color: "network", title: `MPE-PSN Fig. 3b (scale ${ctx.scale})`, xTitle: "spiking layer", yTitle: "spike rate (%)" }) }],
    notes: [`Ran: ${describeMpeSetting(s)}, once per neuron.`, "Rate = spikes / (T · samples · neurons) over the test set, evaluation mode (decision §5d-3).", ...scaleNote(ctx.scale, s.T)],
  };
}

export async function runAbstract(ctx: RunContext): Promise<ItemResult> {
  const s = mpeSetting("dvsgesture", ctx.scale);
  const r = await trainMpe(s, "mpe-psn", ctx, { mixup: ctx.scale === "paper" });
  disposeModule(r.model);
  const beside = authorsBeside("abstract-vs-authors", [{ run: "dvsgesture/T16", testAcc: r.history.map((h) => 100 * (h.testAcc ?? NaN)) }], ctx.scale);
  return {
    title: "DVS128 Gesture top-1 accuracy of MPE-PSN (the abstract's 97.92 %)",
    data: { setting: s, history: r.history },
    reproduced: [{ claimId: "mpe-psn:abstract/dvsgesture/T=16", value: r.bestTestAcc, note: `best over ${s.epochs} epochs, as the log's best; final ${r.finalTestAcc.toFixed(2)} %` }],
    figures: [{ name: "abstract", spec: lineChart({ data: r.history.map((h) => ({ epoch: h.epoch + 1, accuracy: 100 * (h.testAcc ?? NaN), split: "test" })).concat(r.history.map((h) => ({ epoch: h.epoch + 1, accuracy: 100 * h.trainAcc, split: "train" }))), x: "epoch", y: "accuracy", color: "split", title: `MPE-PSN on DVSGesture (scale ${ctx.scale})`, xTitle: "epoch", yTitle: "accuracy (%)" }) }, ...beside.figures],
    notes: [`Ran: ${describeMpeSetting(s)}.`, "Mixup (always on in the official DVSGesture run) is not used at reduced scales.", ...scaleNote(ctx.scale, s.T), ...beside.notes],
  };
}
