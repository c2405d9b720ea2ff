/**
 * Sequence-constant dropout (SpikingJelly `layer.Dropout`): one mask per sequence, drawn on the first
 * forward after `reset()` and reused for every time step, so a neuron is either silent or kept for the
 * whole sequence. Kept units are scaled by 1/(1 − p); identity in evaluation. Masks come from an
 * explicit seed that the trainer sets per step (`reseed`), and are drawn per sample (`sampleUniform`):
 * sample b's mask depends on (seed, draw, b) only, so splitting the batch over workers or micro-batches
 * does not change it. Input `[T, B, ...]`.
 */
import { tf } from "../backend/tf.js";
import type { Module } from "./module.js";
import { sampleUniform } from "./sample-noise.js";

export class Dropout implements Module {
  private mask: tf.Tensor | null = null;
  private training = true;
  private seed: number;
  private draws = 0;

  constructor(readonly p = 0.5, seed = 0) {
    if (!(p >= 0 && p < 1)) throw new Error(`Dropout: p must be in [0, 1), got ${p}`);
    this.seed = seed;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x.clone();
    const perStep = x.shape.slice(1);
    if (!this.mask || this.mask.shape.join() !== perStep.join()) {
      this.mask?.dispose();
      const u = sampleUniform(perStep, 0, this.seed, this.draws++);
      this.mask = tf.keep(tf.tidy(() => tf.div(tf.cast(tf.greaterEqual(u, this.p), "float32"), 1 - this.p)));
      u.dispose();
    }
    return tf.mul(x, this.mask);
  }

  reset(): void {
    this.mask?.dispose();
    this.mask = null;
  }

  train(mode: boolean): void {
    this.training = mode;
  }

  reseed(seed: number): void {
    this.seed = seed;
    this.draws = 0;
  }
}
