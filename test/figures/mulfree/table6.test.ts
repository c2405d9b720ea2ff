import { describe, expect, it } from "vitest";
import { runContext } from "../../../src/lib/repro/item.js";
import { run, seqCifarNeuronsPerStep } from "../../../src/figures/mulfree/table6.js";
import { claimsFor } from "../../../src/figures/registry.js";
import { compareClaim } from "../../../src/lib/repro/verdict.js";

describe("mul-free Table 6 from the network's own counts", () => {
  it("traces 3·128·32 + 3·128·16 + 256 = 18,688 spiking neurons per step and a 40,960-FLOP first layer", () => {
    const { perLayer, firstLayerFlops } = seqCifarNeuronsPerStep();
    expect(perLayer).toEqual([4096, 4096, 4096, 2048, 2048, 2048, 256]);
    expect(firstLayerFlops).toBe(3 * 3 * 128 * 32 + 128 * 32);
  });
  it("re-derives the energies (incl. the PSN 88.56 µJ cell from unrounded counts); SOPs need a trained net", async () => {
    const r = await run({ ...runContext({ outRoot: "", paper: "mulfree", item: "table6", scale: "paper", seed: 0 }), progress: () => { throw new Error("unused"); } });
    const byId = new Map(r.reproduced.map((x) => [x.claimId, x.value]));
    const statuses = Object.fromEntries(claimsFor("mulfree", "table6").map((c) => [c.id.split("/").slice(1).join("/"), compareClaim(c, byId.get(c.id) ?? null, "paper").status]));
    expect(statuses["psn/neuron-energy"]).toBe("REPRODUCED");
    expect(statuses["psn/total-energy"]).toBe("REPRODUCED");
    expect(statuses["ours/neuron-energy"]).toBe("REPRODUCED");
    expect(statuses["psn/synaptic-sops"]).toBe("NOT-RUN");
    // 7,325,696 shifts print as 7.33e6, the paper prints 7.32e6: shown as a mismatch at printed precision.
    expect(statuses["ours/neuron-shift"]).toBe("MISMATCH");
    expect(byId.get("mulfree:table6/ours/neuron-shift")).toBe(18688 * 392);
  });
});
