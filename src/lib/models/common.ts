/**
 * Shared pieces of the papers' networks. Any neuron plugs into any network through a
 * {@link NeuronFactory}; networks take time-first input and return per-step logits `[T, B, K]`.
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedBuffer, NamedParameter } from "../layers/module.js";

/** Builds the spiking neuron of one layer (channels = features of that layer, T = time steps). */
export type NeuronFactory = (info: { name: string; channels: number; T: number }) => Module;

/** A named child list: parameters are prefixed with the child's name. */
export class Named implements Module {
  constructor(readonly children: [string, Module][]) {}

  forward(x: tf.Tensor): tf.Tensor {
    let h = x;
    for (const [, m] of this.children) {
      const next = m.forward(h);
      if (h !== x) h.dispose();
      h = next;
    }
    return h;
  }

  parameters(): NamedParameter[] {
    return this.children.flatMap(([n, m]) => (m.parameters?.() ?? []).map((p) => ({ ...p, name: `${n}.${p.name}` })));
  }

  buffers(): NamedBuffer[] {
    return this.children.flatMap(([n, m]) => (m.buffers?.() ?? []).map((b) => ({ ...b, name: `${n}.${b.name}` })));
  }

  reset(): void {
    this.children.forEach(([, m]) => m.reset?.());
  }

  train(mode: boolean): void {
    this.children.forEach(([, m]) => m.train?.(mode));
  }

  reseed(seed: number): void {
    this.children.forEach(([, m], i) => m.reseed?.(seed * 31 + i));
  }
}

/** Number of trainable scalars of a model. */
export function countParameters(m: Module): number {
  return (m.parameters?.() ?? []).reduce((s, p) => s + p.variable.size, 0);
}

/** Repeat a static image batch [B, H, W, C] over T steps (direct encoding). */
export class RepeatT implements Module {
  constructor(readonly T: number) {}
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.tile(tf.expandDims(x, 0), [this.T, ...x.shape.map(() => 1)]));
  }
}

/**
 * A Spiking-ResNet basic block's forward: `out(main(x) + shortcut(x))`, with the identity when there is no
 * shortcut; intermediates are freed as soon as they are used.
 */
export function residualForward(main: Module, shortcut: Module | null, out: Module, x: tf.Tensor): tf.Tensor {
  const m = main.forward(x);
  const id = shortcut ? shortcut.forward(x) : x;
  const sum = tf.add(m, id);
  m.dispose();
  if (id !== x) id.dispose();
  const y = out.forward(sum);
  sum.dispose();
  return y;
}
