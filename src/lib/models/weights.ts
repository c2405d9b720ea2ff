/**
 * Share and reload trained weights: a model's parameters and buffers (BN running statistics) in one
 * safetensors file (`src/lib/util/safetensors.ts`), names as the model's dotted parameter paths,
 * float32, with `__metadata__` describing the architecture. Written atomically. Loading checks that
 * every name exists with the same shape and names every mismatch.
 */
import { tf } from "../backend/tf.js";
import { buffersOf, parametersOf, type Module } from "../layers/module.js";
import { writeFileAtomic } from "../util/fs.js";
import { encodeSafetensors, readSafetensorsFile, type SafeTensor } from "../util/safetensors.js";

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
  const { tensors, metadata } = readSafetensorsFile(path);
  const vars = namedVariables(model);
  const problems: string[] = [];
  for (const [name, v] of vars) {
    const t = tensors[name];
    if (!t) problems.push(`missing '${name}'`);
    else if (t.dtype !== "F32") problems.push(`'${name}' is ${t.dtype} in the file, expected F32 (saveWeights stores float32)`);
    else if (t.shape.join() !== v.shape.join()) problems.push(`'${name}' is [${t.shape}] in the file, [${v.shape}] in the model`);
  }
  for (const name of Object.keys(tensors)) if (!vars.has(name)) problems.push(`unexpected '${name}'`);
  if (problems.length) throw new Error(`${path}: weights do not fit this model: ${problems.slice(0, 8).join("; ")}${problems.length > 8 ? ` (+${problems.length - 8} more)` : ""}`);
  for (const [name, v] of vars) tf.tidy(() => v.assign(tf.tensor(tensors[name]!.data, v.shape, "float32")));
  return metadata;
}

/** What {@link loadTorchvisionWeights} did: names loaded, model names absent from the file, file names unused. */
export interface TorchvisionLoad { loaded: string[]; missing: string[]; unexpected: string[] }

/**
 * Initialise a model from a torchvision state dict saved as safetensors (float32), the way IMP-SNN's ImageNet
 * `run.sh` starts a SEW-ResNet from `resnet18-f37072fd.pth` with `load_state_dict(strict=False)`: tensors are
 * matched by name (spikelab's SEW-ResNets use torchvision's names: `conv1.weight`, `layer2.0.downsample.1.bias`,
 * `fc.weight`, BN `running_mean`/`running_var`), names missing on either side are skipped and reported (e.g. the
 * IMP parameters, torchvision's `num_batches_tracked`), and a shape that fits neither way is an error, as in
 * PyTorch. Layouts differ by convention, so they are converted: conv kernels OIHW → spikelab's HWIO, linear
 * weights [out, in] → [in, out]. Convert the `.pth` once with
 * `python -c "import torch, safetensors.torch as s; d = torch.load('resnet18-f37072fd.pth'); s.save_file({k: v.float().contiguous() for k, v in d.items() if v.is_floating_point()}, 'resnet18.safetensors')"`
 * (integer `num_batches_tracked` buffers dropped: spikelab has no such buffer and reads F32/I32/U8 only).
 */
export function loadTorchvisionWeights(model: Module, path: string): TorchvisionLoad {
  const { tensors } = readSafetensorsFile(path);
  const vars = namedVariables(model);
  const out: TorchvisionLoad = { loaded: [], missing: [], unexpected: Object.keys(tensors).filter((n) => !vars.has(n)) };
  const problems: string[] = [];
  const plan: [tf.Variable, () => tf.Tensor][] = [];
  for (const [name, v] of vars) {
    const t = tensors[name];
    if (!t) { out.missing.push(name); continue; }
    if (t.dtype !== "F32") { problems.push(`'${name}' is ${t.dtype}, expected F32`); continue; }
    const perm = t.shape.length === 4 ? [2, 3, 1, 0] : t.shape.length === 2 ? [1, 0] : null; // OIHW → HWIO, [out, in] → [in, out]
    const permuted = perm ? perm.map((p) => t.shape[p]!) : t.shape;
    if (permuted.join() !== v.shape.join()) { problems.push(`'${name}' is [${t.shape}] in the file (torchvision layout), [${v.shape}] in the model`); continue; }
    plan.push([v, () => (perm ? tf.transpose(tf.tensor(t.data as Float32Array, t.shape, "float32"), perm) : tf.tensor(t.data as Float32Array, t.shape, "float32"))]);
    out.loaded.push(name);
  }
  if (problems.length) throw new Error(`${path}: torchvision weights do not fit this model: ${problems.slice(0, 8).join("; ")}${problems.length > 8 ? ` (+${problems.length - 8} more)` : ""}`);
  for (const [v, make] of plan) tf.tidy(() => v.assign(make()));
  return out;
}
