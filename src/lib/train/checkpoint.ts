/**
 * Checkpoints that survive `kill -9`.
 *
 * A checkpoint is two files in the run folder: `ckpt-<step>.safetensors` (parameters, buffers,
 * optimiser slots) and `checkpoint.json` (where to resume and everything the loop accumulates).
 * Both are written atomically, weights first; `checkpoint.json` names the weights file it belongs
 * to, so a crash at any instant leaves either the previous complete checkpoint or the new one.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tf } from "../backend/tf.js";
import type { NamedBuffer, NamedParameter } from "../layers/module.js";
import { writeFileAtomic } from "../util/fs.js";
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from "../util/safetensors.js";
import type { OptimizerState } from "./optimizers.js";

export const CHECKPOINT_VERSION = 1;

export interface CheckpointMeta<P = unknown> {
  version: number;
  step: number;
  weightsFile: string;
  optimizerStep: number;
  /** Trainer-specific position and accumulators (epoch, next batch, history, running sums). */
  progress: P;
}

async function toSafe(t: tf.Tensor): Promise<SafeTensor> {
  if (t.dtype === "float32") return { dtype: "F32", shape: t.shape, data: (await t.data()) as Float32Array };
  if (t.dtype === "int32") return { dtype: "I32", shape: t.shape, data: (await t.data()) as Int32Array };
  throw new Error(`checkpoint: cannot store dtype ${t.dtype}`);
}

export async function saveCheckpoint<P>(dir: string, step: number, params: NamedParameter[], buffers: NamedBuffer[], opt: OptimizerState, progress: P): Promise<void> {
  const tensors: Record<string, SafeTensor> = {};
  for (const p of params) tensors[`param/${p.name}`] = await toSafe(p.variable);
  for (const b of buffers) tensors[`buffer/${b.name}`] = await toSafe(b.variable);
  for (const [k, v] of Object.entries(opt.tensors)) tensors[`optim/${k}`] = await toSafe(v);
  const weightsFile = `ckpt-${step}.safetensors`;
  await writeFileAtomic(join(dir, weightsFile), encodeSafetensors(tensors, { kind: "spikelab-checkpoint" }));
  const meta: CheckpointMeta<P> = { version: CHECKPOINT_VERSION, step, weightsFile, optimizerStep: opt.step, progress };
  await writeFileAtomic(join(dir, "checkpoint.json"), JSON.stringify(meta));
  for (const f of readdirSync(dir)) {
    if (/^ckpt-\d+\.safetensors$/.test(f) && f !== weightsFile) rmSync(join(dir, f), { force: true });
  }
}

/** Restore a checkpoint into the given variables; returns its metadata, or null when there is none. */
export function loadCheckpoint<P>(dir: string, params: NamedParameter[], buffers: NamedBuffer[]): { meta: CheckpointMeta<P>; optimizer: OptimizerState } | null {
  const metaPath = join(dir, "checkpoint.json");
  if (!existsSync(metaPath)) return null;
  const meta = JSON.parse(readFileSync(metaPath, "utf8")) as CheckpointMeta<P>;
  if (meta.version !== CHECKPOINT_VERSION) throw new Error(`${metaPath}: checkpoint version ${meta.version}, expected ${CHECKPOINT_VERSION}`);
  const file = join(dir, meta.weightsFile);
  const { tensors } = decodeSafetensors(readFileSync(file), file);
  const restore = (key: string, v: tf.Variable) => {
    const t = tensors[key];
    if (!t) throw new Error(`${file}: no tensor '${key}' (checkpoint from a different model?)`);
    if (t.shape.join() !== v.shape.join()) throw new Error(`${file}: '${key}' has shape [${t.shape}], the model expects [${v.shape}]`);
    tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, v.dtype)));
  };
  for (const p of params) restore(`param/${p.name}`, p.variable);
  for (const b of buffers) restore(`buffer/${b.name}`, b.variable);
  const optTensors: Record<string, tf.Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith("optim/")) optTensors[k.slice(6)] = tf.tensor(t.data, t.shape, t.dtype === "F32" ? "float32" : "int32");
  }
  return { meta, optimizer: { step: meta.optimizerStep, tensors: optTensors } };
}
