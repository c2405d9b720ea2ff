/**
 * Multi-step wrappers for stateless layers (SpikingJelly `SeqToANNContainer`, events-and-parity §1.5):
 * a time-first `[T, B, ...]` tensor is folded to `[T·B, ...]`, the layer runs once on all steps, and the
 * result is unfolded back to `[T, B, ...]` — one big op instead of T small ones.
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter, NamedBuffer } from "./module.js";

export function foldTime(x: tf.Tensor): tf.Tensor {
  if (x.rank < 2) throw new Error(`foldTime: expected [T, B, ...], got shape [${x.shape}]`);
  return tf.reshape(x, [x.shape[0]! * x.shape[1]!, ...x.shape.slice(2)]);
}

export function unfoldTime(y: tf.Tensor, T: number): tf.Tensor {
  return tf.reshape(y, [T, y.shape[0]! / T, ...y.shape.slice(1)]);
}

/** Apply a per-sample function to every time step at once. */
export function seqToAnn(x: tf.Tensor, f: (folded: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => unfoldTime(f(foldTime(x)), x.shape[0]!));
}

/** Run a stack of modules in order; names parameters `<index>.<name>` and forwards reset/train/reseed. */
export class Sequential implements Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    this.layers = layers;
  }

  forward(x: tf.Tensor): tf.Tensor {
    let h = x;
    for (const l of this.layers) {
      const next = l.forward(h);
      if (h !== x) h.dispose();
      h = next;
    }
    return h;
  }

  parameters(): NamedParameter[] {
    return this.layers.flatMap((l, i) => (l.parameters?.() ?? []).map((p) => ({ ...p, name: `${i}.${p.name}` })));
  }

  buffers(): NamedBuffer[] {
    return this.layers.flatMap((l, i) => (l.buffers?.() ?? []).map((b) => ({ ...b, name: `${i}.${b.name}` })));
  }

  reset(): void {
    this.layers.forEach((l) => l.reset?.());
  }

  train(mode: boolean): void {
    this.layers.forEach((l) => l.train?.(mode));
  }

  reseed(seed: number): void {
    this.layers.forEach((l, i) => l.reseed?.(seed * 31 + i));
  }
}
