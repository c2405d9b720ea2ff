/**
 * `npx tsx bench/dvs-lip-epoch.ts [small|paper ...] [--paper-T 30] [--paper-batch 1]`: seconds per training
 * epoch of the DVS-Lip recipe (mulfree:table4) on this machine, from forward+backward steps on random
 * frames of the real sizes (`timeLipEpoch`). Small: its own batch and T. Paper: TF.js's wasm heap (4 GiB)
 * does not hold the full-width T = 90 network even at batch 1, so the step is measured at `--paper-T`
 * frames and `--paper-batch` samples and scaled linearly to T = 90 and batch 32 (every layer's cost is
 * linear in T·B; the printout says so). Training samples per epoch: small 400 (10 words × 40), paper 14 896.
 */
import { parseArgs } from "node:util";
import { initBackend } from "../src/lib/backend/index.js";
import { DVS_LIP_TRAIN_SAMPLES, lipSetting, timeLipEpoch } from "../src/figures/mulfree/dvs-lip-task.js";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { "paper-T": { type: "string", default: "30" }, "paper-batch": { type: "string", default: "1" }, repeats: { type: "string", default: "2" } } });
const which = positionals.length ? positionals : ["small", "paper"];
const repeats = Number(values.repeats);
const choice = await initBackend();
const h = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
for (const scale of which) {
  if (scale === "small") {
    const s = lipSetting("small");
    const trainSamples = s.words.length * (s.trainPerWord ?? 0);
    const r = timeLipEpoch(s, { repeats, trainSamples });
    console.log(`small: batch ${r.batch}, T ${s.T}, ${s.crop}², width ×${s.widthFactor}: steps ${r.stepSeconds.map((x) => x.toFixed(2)).join(", ")} s → ${r.steps} steps/epoch → ${h(r.epochSeconds)} per training epoch (${choice.tfBackend})`);
  } else if (scale === "paper") {
    const full = lipSetting("paper");
    const T = Number(values["paper-T"]), batch = Number(values["paper-batch"]);
    const s = { ...full, T };
    const r = timeLipEpoch(s, { batch, repeats, trainSamples: DVS_LIP_TRAIN_SAMPLES });
    const epoch = r.epochSeconds * (full.T / T);
    console.log(`paper: measured at batch ${batch}, T ${T} (full width, ${s.crop}²): steps ${r.stepSeconds.map((x) => x.toFixed(2)).join(", ")} s; scaled ×${full.batchSize / batch} (batch 32) ×${(full.T / T).toFixed(2)} (T 90) → ${r.steps} steps/epoch → ${h(epoch)} per training epoch, ${h(epoch * full.epochs)} for ${full.epochs} epochs (${choice.tfBackend})`);
  } else {
    throw new Error(`unknown scale '${scale}' (small or paper)`);
  }
}
