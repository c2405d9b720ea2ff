/**
 * Step-by-step inference of a multi-step network (mul-free paper Table 5): the input is fed one time step at
 * a time, `[1, B, …]`, and every neuron keeps only what its dynamics need between steps — the sliding PSN
 * its last k inputs, the mul-free PSN its last (k − 1)·d + 1 inputs. Stateless layers (convolutions, BN in
 * eval mode, pooling, linear) see a length-1 sequence. The result equals the multi-step forward.
 */
import { tf } from "../backend/tf.js";
import type { Module } from "../layers/module.js";
import { MulFreePSN } from "../neurons/mulfree-psn.js";
import { SlidingPSN } from "../neurons/psn.js";
import { ChannelsOnAxis2 } from "./neuron-factories.js";

type StepNeuron = SlidingPSN | MulFreePSN;

/** Feeds a `[1, B, …, C]` step to a neuron in step mode and returns `[1, B, …, C]`. */
class OneStep implements Module {
  constructor(readonly neuron: StepNeuron) {}
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const C = x.shape[x.rank - 1]!;
      // The mul-free layer wants its channel on axis 1 of a step ([B·…, C]); the sliding PSN is elementwise.
      const step = this.neuron instanceof MulFreePSN ? tf.reshape(x, [-1, C]) : tf.squeeze(x, [0]);
      return tf.reshape(this.neuron.forward(step), x.shape);
    });
  }
  reset(): void { this.neuron.reset(); }
}

function stepNeuronOf(m: Module): StepNeuron | null {
  const inner = m instanceof ChannelsOnAxis2 ? m.inner : m;
  return inner instanceof SlidingPSN || inner instanceof MulFreePSN ? inner : null;
}

const NEURON_NAMES = ["sn", "neuron", "psn", "lif", "node"];

/** Swap every neuron child for a step-mode wrapper; returns the undo function. */
function swapToSteps(m: Module, swapped: StepNeuron[]): () => void {
  const kids = (m as { children?: [string, Module][] }).children;
  if (!kids) return () => {};
  const undo: (() => void)[] = [];
  kids.forEach((entry, i) => {
    const [name, child] = entry;
    const n = stepNeuronOf(child);
    if (n) {
      n.stepMode = "s";
      swapped.push(n);
      kids[i] = [name, new OneStep(n)];
      undo.push(() => { n.stepMode = "m"; n.reset(); kids[i] = [name, child]; });
    } else if (name.split(".").some((seg) => NEURON_NAMES.some((p) => seg.startsWith(p))) && !(child as { children?: unknown }).children) {
      throw new Error(`stepByStepForward: neuron '${name}' (${child.constructor.name}) has no step mode here; supported: SlidingPSN, MulFreePSN`);
    } else {
      undo.push(swapToSteps(child, swapped));
    }
  });
  return () => undo.reverse().forEach((f) => f());
}

export interface StepInferenceResult {
  /** Per-step outputs stacked, `[T, B, …]` (equal to the multi-step forward). */
  outputs: tf.Tensor;
  /** Largest total bytes of the neurons' kept inputs after any step. */
  stateBytes: number;
  /** Largest number of bytes TF.js held during the run, minus what it held before (weights excluded). */
  peakTensorBytes: number;
}

/** Run `model` (eval mode recommended) step by step over `x` `[T, B, …]`. */
export function stepByStepForward(model: Module, x: tf.Tensor): StepInferenceResult {
  const swapped: StepNeuron[] = [];
  const undo = swapToSteps(model, swapped);
  if (swapped.length === 0) { undo(); throw new Error("stepByStepForward: the model has no SlidingPSN or MulFreePSN neuron"); }
  const base = tf.memory().numBytes;
  let peak = 0, state = 0;
  const outs: tf.Tensor[] = [];
  try {
    swapped.forEach((n) => n.reset());
    for (let t = 0; t < x.shape[0]!; t++) {
      const xt = tf.slice(x, [t], [1]);
      outs.push(model.forward(xt));
      xt.dispose();
      state = Math.max(state, swapped.reduce((s, n) => s + n.stateBytes(), 0));
      peak = Math.max(peak, tf.memory().numBytes - base);
    }
    const outputs = tf.concat(outs, 0);
    return { outputs, stateBytes: state, peakTensorBytes: peak };
  } finally {
    outs.forEach((o) => o.dispose());
    undo();
  }
}
