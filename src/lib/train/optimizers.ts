/**
 * Optimisers with PyTorch semantics and per-group weight decay.
 *
 * SGD (momentum μ, coupled decay):  d = g + wd·w;  buf = μ·buf + d (buf₀ = d);  w ← w − lr·buf
 *                                   (nesterov: w ← w − lr·(d + μ·buf)).
 * Adam (coupled decay):             g ← g + wd·w;  m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;
 *                                   w ← w − lr·m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 * AdamW (decoupled decay):          w ← w − lr·wd·w, then the Adam update without decay.
 * Lamb (You et al. 2019, as timm):   m, v, m̂, v̂ as Adam;  r = m̂/(√v̂ + ε) + wd·w;
 *                                   w ← w − lr·q·r,  q = ‖w‖/‖r‖ per tensor (1 if either norm is 0),
 *                                   q = 1 for tensors without decay unless `alwaysAdapt`.
 *
 * Parameters whose group is in `noDecay` (the papers exclude norm, bias, IMP, TEBN, κ; SNN-delays' positions have
 * their own Adam without decay) get wd = 0. `lr` is one number or a per-parameter function (per-group schedules).
 * All state lives in tensors returned by `state()`, so checkpoints restore an optimiser exactly.
 */
import { tf } from "../backend/tf.js";
import type { NamedParameter, ParamGroup } from "../layers/module.js";

export const DEFAULT_NO_DECAY: ParamGroup[] = ["norm", "bias", "imp", "tebn", "kappa", "threshold", "delay"];

/** A learning rate for every parameter, or one per parameter (e.g. by group). */
export type LearningRate = number | ((p: NamedParameter) => number);

export interface OptimizerState {
  step: number;
  tensors: Record<string, tf.Tensor>;
}

export interface Optimizer {
  readonly name: string;
  /** Apply one update with learning rate `lr`; `grads` keyed by parameter name. */
  apply(params: NamedParameter[], grads: Record<string, tf.Tensor>, lr: LearningRate): void;
  state(): OptimizerState;
  loadState(s: OptimizerState): void;
  dispose(): void;
}

interface CommonOptions {
  weightDecay?: number;
  noDecay?: ParamGroup[];
}

abstract class BaseOptimizer implements Optimizer {
  abstract readonly name: string;
  protected slots = new Map<string, tf.Tensor>();
  protected t = 0;
  protected readonly weightDecay: number;
  protected readonly noDecay: Set<ParamGroup>;

  constructor(opts: CommonOptions) {
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.weightDecay >= 0)) throw new Error(`weightDecay must be >= 0, got ${opts.weightDecay}`);
    this.noDecay = new Set(opts.noDecay ?? DEFAULT_NO_DECAY);
  }

  protected decayOf(p: NamedParameter): number {
    return this.noDecay.has(p.group) ? 0 : this.weightDecay;
  }

  /**
   * Adam's bias-corrected moments, shared by Adam and Lamb: m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g²,
   * returns m/(1−β₁ᵗ) ÷ (√(v/(1−β₂ᵗ)) + ε), the step direction before any scaling.
   */
  protected adamDirection(name: string, g: tf.Tensor, b1: number, b2: number, eps: number): tf.Tensor {
    const mKey = `${name}.m`, vKey = `${name}.v`;
    const m = tf.add(tf.mul(this.slots.get(mKey) ?? tf.zerosLike(g), b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(this.slots.get(vKey) ?? tf.zerosLike(g), b2), tf.mul(tf.square(g), 1 - b2));
    this.setSlot(mKey, m);
    this.setSlot(vKey, v);
    return tf.div(tf.div(m, 1 - b1 ** this.t), tf.add(tf.sqrt(tf.div(v, 1 - b2 ** this.t)), eps));
  }

  protected setSlot(key: string, value: tf.Tensor): void {
    const old = this.slots.get(key);
    this.slots.set(key, tf.keep(value));
    old?.dispose();
  }

  apply(params: NamedParameter[], grads: Record<string, tf.Tensor>, lr: LearningRate): void {
    const rates = params.map((p) => (typeof lr === "number" ? lr : lr(p)));
    rates.forEach((r, i) => {
      if (!(r >= 0)) throw new Error(`${this.name}: learning rate must be >= 0, got ${r} for '${params[i]!.name}'`);
    });
    this.t += 1;
    params.forEach((p, i) => {
      const g = grads[p.name];
      if (!g) return; // parameter not reached by this loss
      tf.tidy(() => this.update(p, g, rates[i]!));
    });
  }

  protected abstract update(p: NamedParameter, g: tf.Tensor, lr: number): void;

  state(): OptimizerState {
    return { step: this.t, tensors: Object.fromEntries(this.slots) };
  }

  loadState(s: OptimizerState): void {
    this.dispose();
    this.t = s.step;
    for (const [k, v] of Object.entries(s.tensors)) this.slots.set(k, tf.keep(tf.clone(v)));
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}

export interface SGDOptions extends CommonOptions {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends BaseOptimizer {
  readonly name = "SGD";
  private readonly momentum: number;
  private readonly nesterov: boolean;

  constructor(opts: SGDOptions = {}) {
    super(opts);
    this.momentum = opts.momentum ?? 0;
    this.nesterov = opts.nesterov ?? false;
  }

  protected update(p: NamedParameter, g: tf.Tensor, lr: number): void {
    const w = p.variable;
    const wd = this.decayOf(p);
    let d = wd ? tf.add(g, tf.mul(w, wd)) : g;
    if (this.momentum) {
      const key = `${p.name}.momentum`;
      const prev = this.slots.get(key);
      const buf = prev ? tf.add(tf.mul(prev, this.momentum), d) : tf.clone(d);
      this.setSlot(key, buf);
      d = this.nesterov ? tf.add(d, tf.mul(buf, this.momentum)) : buf;
    }
    w.assign(tf.sub(w, tf.mul(d, lr)));
  }
}

export interface AdamOptions extends CommonOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** true = AdamW (decoupled decay). */
  decoupled?: boolean;
}

export class Adam extends BaseOptimizer {
  readonly name: string;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly decoupled: boolean;

  constructor(opts: AdamOptions = {}) {
    super(opts);
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.decoupled = opts.decoupled ?? false;
    this.name = this.decoupled ? "AdamW" : "Adam";
  }

  protected update(p: NamedParameter, g: tf.Tensor, lr: number): void {
    const w = p.variable;
    const wd = this.decayOf(p);
    if (wd && this.decoupled) w.assign(tf.sub(w, tf.mul(w, lr * wd)));
    const grad = wd && !this.decoupled ? tf.add(g, tf.mul(w, wd)) : g;
    w.assign(tf.sub(w, tf.mul(this.adamDirection(p.name, grad, this.b1, this.b2, this.eps), lr)));
  }
}

/** AdamW: Adam with decoupled weight decay (default wd 0.01 as PyTorch). */
export function adamW(opts: Omit<AdamOptions, "decoupled"> = {}): Adam {
  return new Adam({ weightDecay: 0.01, ...opts, decoupled: true });
}

export interface LambOptions extends CommonOptions {
  beta1?: number;
  beta2?: number;
  /** Default 1e-6 (timm's Lamb). */
  eps?: number;
  /** Apply the trust ratio to tensors without weight decay too (timm `always_adapt`, default false). */
  alwaysAdapt?: boolean;
}

/**
 * Layer-wise adaptive moments (the IMP paper's CIFAR SEW-ResNet recipe, papers.md §3.4). The trust ratio
 * q = ‖w‖/‖r‖ scales each tensor's step to its own norm, which is why Lamb tolerates large batches and
 * learning rates. timm also clips the global gradient norm to 1 inside the optimiser; here that is the
 * trainer's `clipNorm`.
 */
export class Lamb extends BaseOptimizer {
  readonly name = "Lamb";
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly alwaysAdapt: boolean;

  constructor(opts: LambOptions = {}) {
    super(opts);
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-6;
    this.alwaysAdapt = opts.alwaysAdapt ?? false;
  }

  protected update(p: NamedParameter, g: tf.Tensor, lr: number): void {
    const w = p.variable;
    const wd = this.decayOf(p);
    let r = this.adamDirection(p.name, g, this.b1, this.b2, this.eps);
    if (wd) r = tf.add(r, tf.mul(w, wd));
    let trust: tf.Tensor | number = 1;
    if (wd || this.alwaysAdapt) {
      const wNorm = tf.norm(w), rNorm = tf.norm(r);
      trust = tf.where(tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(rNorm, 0)), tf.div(wNorm, rNorm), tf.onesLike(wNorm));
    }
    w.assign(tf.sub(w, tf.mul(r, tf.mul(trust, lr))));
  }
}
