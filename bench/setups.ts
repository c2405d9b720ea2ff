/**
 * Worker setups of the training-step benchmarks (`WorkerSetup` modules must be importable by path, so the
 * networks a bench trains with workers are built here, the same way in the bench process and in each worker).
 */
import { LOSSES } from "../src/lib/losses/index.js";
import { vggMpe } from "../src/lib/models/vgg.js";
import { LIFNode } from "../src/lib/neurons/lif.js";
import type { WorkerModel } from "../src/lib/train/parallel/protocol.js";

export interface VggMpeArgs { T: number; seed: number; widthFactor?: number }

/** VGGMPE (48², frames `[T, B, 2, 48, 48]`) with LIF neurons and the TET loss. */
export function vggMpeSetup(a: VggMpeArgs): WorkerModel {
  return { model: vggMpe({ neuron: () => new LIFNode(), T: a.T, seed: a.seed, widthFactor: a.widthFactor ?? 1 }), loss: LOSSES.tet };
}
