/**
 * Gradients keyed by parameter name.
 *
 * `tf.variableGrads` keys its result by TF.js variable name (`Variable_12`), while optimisers, checkpoints and
 * logs address parameters by their module path (`features.3.weight`); this does the translation once.
 */
import { tf } from "../backend/tf.js";
import type { NamedParameter } from "../layers/module.js";

export interface NamedGrads {
  /** The objective's value (the caller disposes it). */
  value: tf.Scalar;
  /** ∂value/∂p for every parameter p, keyed by `p.name` (the caller disposes them). */
  grads: Record<string, tf.Tensor>;
}

/** ∇ of `objective` with respect to `params`, keyed by parameter name. */
export function namedGrads(params: readonly NamedParameter[], objective: () => tf.Scalar): NamedGrads {
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new Error(`namedGrads: duplicate parameter name '${p.name}'`);
    seen.add(p.name);
  }
  const { value, grads } = tf.variableGrads(objective, params.map((p) => p.variable));
  const named: Record<string, tf.Tensor> = {};
  for (const p of params) {
    const g = grads[p.variable.name];
    if (g) named[p.name] = g;
  }
  return { value, grads: named };
}
