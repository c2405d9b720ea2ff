/**
 * Share and reload trained weights: a model's parameters and buffers (BN running statistics) in one
 * safetensors file (`src/lib/util/safetensors.ts`), names as the model's dotted parameter paths,
 * float32, with `__metadata__` describing the architecture. Written atomically. Loading checks that
 * every name exists with the same shape and names every mismatch.
 */
import { readFileSync } from "node:fs";
import { tf } from "../backend/tf.js";
import { buffersOf, parametersOf, type Module } from "../layers/module.js";
import { writeFileAtomic } from "../util/fs.js";
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from "../util/safetensors.js";

function namedVariables(model: Module): Map<string, tf.Variable> {
  const m = new Map<string, tf.Variable>();
  for (const p of parametersOf(model)) m.set(p.name, p.variable);
  for (const b of buffersOf(model)) m.set(b.name, b.variable);
  return m;
}

export async function saveWeights(model: Module, path: string, metadata: Record<string, string> = {}): Promise<void> {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, v] of namedVariables(model)) {
    if (v.dtype !== "float32") throw new Error(`saveWeights: '${name}' has dtype ${v.dtype}; only float32 is stored`);
    tensors[name] = { dtype: "F32", shape: v.shape, data: (await v.data()) as Float32Array };
  }
  await writeFileAtomic(path, encodeSafetensors(tensors, { format: "spikelab-weights-v1", ...metadata }));
}

/** Load weights saved by {@link saveWeights} into a model of the same architecture; returns the metadata. */
export function loadWeights(model: Module, path: string): Record<string, string> {
  const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
  const vars = namedVariables(model);
  const problems: string[] = [];
  for (const [name, v] of vars) {
    const t = tensors[name];
    if (!t) problems.push(`missing '${name}'`);
    else if (t.shape.join() !== v.shape.join()) problems.push(`'${name}' is [${t.shape}] in the file, [${v.shape}] in the model`);
  }
  for (const name of Object.keys(tensors)) if (!vars.has(name)) problems.push(`unexpected '${name}'`);
  if (problems.length) throw new Error(`${path}: weights do not fit this model: ${problems.slice(0, 8).join("; ")}${problems.length > 8 ? ` (+${problems.length - 8} more)` : ""}`);
  for (const [name, v] of vars) tf.tidy(() => v.assign(tf.tensor(tensors[name]!.data, v.shape, "float32")));
  return metadata;
}
