/**
 * The small module protocol every layer, neuron and network follows.
 *
 * A module maps a tensor to a tensor (`forward`), may own trainable variables (`parameters()`),
 * may hold state across time steps (`reset()`, called between sequences as SpikingJelly's
 * `functional.reset_net` does), and may behave differently in training and evaluation
 * (`train(mode)`: batch-norm statistics, dropout, stochastic estimators).
 *
 * Parameters carry a `group` so optimisers can apply per-group rules (papers' configs exclude
 * norm, bias, IMP, TEBN and κ parameters from weight decay; learnable delays get their own learning rate).
 */
import type { tf } from "../backend/tf.js";

export type ParamGroup = "weight" | "bias" | "norm" | "imp" | "tebn" | "kappa" | "threshold" | "neuron" | "delay";

export interface NamedParameter {
  /** Dotted path, e.g. `features.3.conv.weight`. */
  name: string;
  variable: tf.Variable;
  group: ParamGroup;
}

/** Non-trainable state saved with the weights (batch-norm running mean/var), as non-trainable variables. */
export interface NamedBuffer {
  name: string;
  variable: tf.Variable;
}

export interface Module {
  forward(x: tf.Tensor): tf.Tensor;
  parameters?(): NamedParameter[];
  /** Non-trainable variables that belong in checkpoints and weight files (e.g. BN running stats). */
  buffers?(): NamedBuffer[];
  reset?(): void;
  train?(mode: boolean): void;
  /**
   * Re-seed the module's own random draws (dropout masks, Bernoulli estimates). The trainer calls
   * this with a seed derived from (run seed, global step) before every step, so a run resumed from
   * a checkpoint draws exactly what the uninterrupted run drew.
   */
  reseed?(seed: number): void;
}

/** Parameters of a module, prefixed with `prefix.` (empty list when it owns none). */
export function parametersOf(m: Module, prefix = ""): NamedParameter[] {
  const own = m.parameters?.() ?? [];
  return prefix ? own.map((p) => ({ ...p, name: `${prefix}.${p.name}` })) : own;
}

/** Buffers of a module, prefixed like {@link parametersOf}. */
export function buffersOf(m: Module, prefix = ""): NamedBuffer[] {
  const own = m.buffers?.() ?? [];
  return prefix ? own.map((b) => ({ ...b, name: `${prefix}.${b.name}` })) : own;
}

/** Reset state of a module tree (no-op for stateless modules). */
export function resetModule(m: Module): void {
  m.reset?.();
}

/** Re-seed a module tree's random draws (see {@link Module.reseed}). */
export function reseedModule(m: Module, seed: number): void {
  m.reseed?.(seed);
}

/** Switch a module tree between training and evaluation behaviour. */
export function setTraining(m: Module, mode: boolean): void {
  m.train?.(mode);
}

/**
 * The leaves of a module tree with dotted names, descending into containers that expose `children`
 * (`[name, module][]`) or `layers` (`Sequential`). `stop` marks modules to treat as leaves even when
 * they have children.
 */
export function leafModules(m: Module, stop: (m: Module) => boolean = () => false, prefix = ""): [string, Module][] {
  const kids = (m as { children?: [string, Module][] }).children ??
    (m as { layers?: Module[] }).layers?.map((l, i) => [String(i), l] as [string, Module]);
  if (!kids || stop(m)) return [[prefix, m]];
  return kids.flatMap(([n, c]) => leafModules(c, stop, prefix ? `${prefix}.${n}` : n));
}

/**
 * Dispose every variable of a module tree — its parameters and buffers (runs that train many networks in one
 * process free each before building the next).
 */
export function disposeModule(m: Module): void {
  for (const p of m.parameters?.() ?? []) p.variable.dispose();
  for (const b of m.buffers?.() ?? []) b.variable.dispose();
}
