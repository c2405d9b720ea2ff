/**
 * Throughput of the conv and pooling backprop kernels against the forward op of the same shape, on the papers'
 * layer shapes (wasm). Per layer, every arm runs once per round, round-robin (`timeInterleaved`), so a load change
 * on the shared machine hits all arms of a round alike; the tables show median per-arm times or GFLOP/s and the
 * median over rounds of the per-round ratio to the forward op (×1.0 = as fast as forward; for the conv arms the
 * FLOPs are equal, 2·N·Ho·Wo·KH·KW·Ci·Co, so the ratio is a throughput ratio; for pools it is time(fwd)/time(grad)).
 * Each call is settled by reading back one element of its result (wasm runs kernels synchronously): reading the
 * whole result charged every arm its output's size (dx is s_h·s_w times y, dW small) and distorted the ratios.
 *
 * Conv arms: `fwd` Conv2D (its filter packed by XNNPACK in an earlier round); `fwd new` the same conv with a filter
 * XNNPACK has not seen, as in training, where the weights — and so the filter tensor — change every step (the
 * backprop-input arms always pack a new, transformed filter); `bpf` the registered Conv2DBackpropFilter (the SIMD
 * outer-product kernel on wasm); `bpf before` the forward-conv composition it replaced (`simd: false`); `bpi` the
 * registered Conv2DBackpropInput (per stride phase a stride-1 conv of dy with a flipped sub-filter); `bpi before`
 * the zero-upsampling composition it replaced (`phases: false`: one conv of the dilated dy, the filter flipped by
 * wasm's Reverse + Transpose).
 *
 * Pool arms (the pools of the same networks): `fwd` AvgPool / MaxPool; `grad` the registered AvgPoolGrad /
 * MaxPoolGrad (generated SIMD scatters); `before` TF.js's stock wasm AvgPoolGrad / the composed first-maximum
 * MaxPoolGrad (`simd: false`). The per-network summary puts the pool gradients' ms next to the conv kernels' ms
 * (fwd + bpf + bpi, one call each per training step) of the same network.
 *
 *   npx tsx bench/conv-kernels.ts [--rounds 5] [--only vgg,sew]      (also: npm run bench -- --only kernels)
 */
import { pathToFileURL } from "node:url";
import { initBackend, tf } from "../src/lib/backend/index.js";
import { conv2dBackpropFilterComposed } from "../src/lib/backend/kernels/conv2d-backprop-filter.js";
import { conv2dBackpropInputComposed } from "../src/lib/backend/kernels/conv2d-backprop-input.js";
import { maxPoolGradComposed } from "../src/lib/backend/kernels/max-pool-grad.js";
import type { KernelArgs, TensorInfo } from "../src/lib/backend/kernels/compose.js";
import { wasmStockKernel } from "../src/lib/backend/wasm-kernels.js";
import { median, timeInterleaved } from "../src/lib/util/timing.js";

export interface ConvLayerShape {
  net: string;
  /** images = T · batch */
  n: number;
  h: number; w: number; ci: number; co: number;
  kh: number; kw: number;
  stride: number;
}

const layer = (net: string, n: number, h: number, w: number, ci: number, co: number, k = 3, stride = 1, kw = k): ConvLayerShape =>
  ({ net, n, h, w, ci, co, kh: k, kw, stride });

/** The conv layers of the four benchmarked networks (src/lib/models/*), at the train benchmark's T·batch. */
export const LAYER_SHAPES: ConvLayerShape[] = [
  // VGGMPE, CIFAR10-DVS 48², T 4 × batch 8
  layer("vgg", 32, 48, 48, 2, 64), layer("vgg", 32, 48, 48, 64, 128), layer("vgg", 32, 24, 24, 128, 256),
  layer("vgg", 32, 24, 24, 256, 256), layer("vgg", 32, 12, 12, 256, 512), layer("vgg", 32, 12, 12, 512, 512),
  layer("vgg", 32, 6, 6, 512, 512),
  // DVSGestureNet 128², 128 channels, T 4 × batch 2
  layer("dvsg", 8, 128, 128, 2, 128), layer("dvsg", 8, 64, 64, 128, 128), layer("dvsg", 8, 32, 32, 128, 128),
  layer("dvsg", 8, 16, 16, 128, 128), layer("dvsg", 8, 8, 8, 128, 128),
  // SEW-ResNet-18 CIFAR 32², T 4 × batch 8 (stride-2 3×3 and 1×1 downsampling convs)
  layer("sew", 32, 32, 32, 3, 64), layer("sew", 32, 32, 32, 64, 64), layer("sew", 32, 32, 32, 64, 128, 3, 2),
  layer("sew", 32, 32, 32, 64, 128, 1, 2), layer("sew", 32, 16, 16, 128, 128), layer("sew", 32, 8, 8, 256, 256),
  layer("sew", 32, 4, 4, 512, 512),
  // ResNet-19 CIFAR (128/256/512 at 32/16/8), T 2 × batch 8
  layer("resnet19", 16, 32, 32, 128, 128), layer("resnet19", 16, 16, 16, 256, 256), layer("resnet19", 16, 8, 8, 512, 512),
  // mul-free seq-CIFAR: [3,1] column convs on [T·B, 32, 1, 128], T 32 × batch 8
  layer("seqcifar", 256, 32, 1, 128, 128, 3, 1, 1), layer("seqcifar", 256, 16, 1, 128, 128, 3, 1, 1),
];

/** The pools of the benchmarked networks (src/lib/models/*), at the train benchmark's T·batch. */
export interface PoolShape { net: string; kind: "avg" | "max"; n: number; h: number; w: number; c: number; k: [number, number]; s: [number, number] }

const pool = (net: string, kind: "avg" | "max", n: number, h: number, w: number, c: number, k: [number, number] = [2, 2], s = k): PoolShape =>
  ({ net, kind, n, h, w, c, k, s });

export const POOL_SHAPES: PoolShape[] = [
  // VGGMPE: AvgPool 2 after convs 2, 4, 6, 8
  pool("vgg", "avg", 32, 48, 48, 128), pool("vgg", "avg", 32, 24, 24, 256), pool("vgg", "avg", 32, 12, 12, 512), pool("vgg", "avg", 32, 6, 6, 512),
  // DVSGestureNet: MaxPool 2 after each of 5 blocks
  pool("dvsg", "max", 8, 128, 128, 128), pool("dvsg", "max", 8, 64, 64, 128), pool("dvsg", "max", 8, 32, 32, 128),
  pool("dvsg", "max", 8, 16, 16, 128), pool("dvsg", "max", 8, 8, 8, 128),
  // mul-free seq-CIFAR: [2,1] average pools of the column features
  pool("seqcifar", "avg", 256, 32, 1, 128, [2, 1]),
  // LIP Spiking ResNet-18 (and SEW-ResNet ImageNet stems): AvgPool(3, 2, 1) on the explicitly padded stem output
  pool("lip", "avg", 16, 66, 66, 64, [3, 3], [2, 2]),
];

export interface KernelRow {
  layer: string;
  net: string;
  fwdGflops: number;
  /** median ms per call */
  ms: Record<string, number>;
  /** median per-round ratios of throughput to the forward conv, per arm */
  ratio: Record<string, number>;
}

export interface PoolRow { layer: string; net: string; ms: Record<string, number>; ratio: Record<string, number> }

export function describeLayer(s: ConvLayerShape): string {
  return `${s.net} ${s.n}×${s.h}×${s.w} ${s.ci}→${s.co} ${s.kh}×${s.kw}/${s.stride}`;
}

export function describePool(p: PoolShape): string {
  return `${p.net} ${p.kind} ${p.n}×${p.h}×${p.w}×${p.c} ${p.k.join("×")}/${p.s.join(",")}`;
}

/** Settle a call by reading back one element (wasm kernels run synchronously; see the file comment), then free it. */
function settle(t: tf.Tensor): void {
  const one = tf.slice(t, t.shape.map(() => 0), t.shape.map(() => 1));
  one.dataSync();
  tf.dispose([one, t]);
}
const settleInfo = (info: TensorInfo | TensorInfo[]) => settle(tf.engine().makeTensorFromTensorInfo(info as TensorInfo));

function summarise(t: Record<string, number[]>): { ms: Record<string, number>; ratio: Record<string, number> } {
  const ms: Record<string, number> = {}, ratio: Record<string, number> = {};
  for (const [arm, v] of Object.entries(t)) {
    ms[arm] = +median(v).toFixed(2);
    ratio[arm] = +median(v.map((x, i) => t.fwd![i]! / x)).toFixed(2);
  }
  return { ms, ratio };
}

/** Time one layer shape; `rounds` interleaved rounds after one warm-up round. */
export function timeLayer(s: ConvLayerShape, rounds: number): KernelRow {
  const pad = [[0, 0], [s.kh >> 1, s.kh >> 1], [s.kw >> 1, s.kw >> 1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
  const x = tf.randomNormal([s.n, s.h, s.w, s.ci], 0, 1, "float32", 1) as tf.Tensor4D;
  const w = tf.randomNormal([s.kh, s.kw, s.ci, s.co], 0, 0.1, "float32", 2) as tf.Tensor4D;
  const y = tf.conv2d(x, w, s.stride, pad);
  const dy = tf.randomNormal(y.shape, 0, 1, "float32", 3) as tf.Tensor4D;
  const [, ho, wo] = y.shape;
  y.dispose();
  const flops = 2 * s.n * ho * wo * s.kh * s.kw * s.ci * s.co;
  const strides: [number, number] = [s.stride, s.stride];
  const bpfAttrs = { strides, pad, dataFormat: "NHWC", filterShape: [s.kh, s.kw, s.ci, s.co] };
  const convComposition = conv2dBackpropFilterComposed("wasm", { simd: false });
  const upsampling = conv2dBackpropInputComposed(() => { throw new Error("bench: NHWC never reaches the stock kernel"); }, "wasm", { phases: false });
  const backend = tf.backend();
  // filters XNNPACK has not packed yet, one per call of `fwd new` (tf.mul makes new data, a clone would share it)
  const fresh = Array.from({ length: rounds + 1 }, () => tf.mul(w, 1) as tf.Tensor4D);
  const arms: Record<string, () => void> = {
    fwd: () => settle(tf.conv2d(x, w, s.stride, pad)),
    fwdNew: () => { const f = fresh.pop()!; settle(tf.conv2d(x, f, s.stride, pad)); f.dispose(); },
    bpf: () => settle(tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, bpfAttrs as unknown as tf.NamedAttrMap) as tf.Tensor),
    bpfBefore: () => settleInfo(convComposition({ inputs: { x, dy } as unknown as KernelArgs["inputs"], backend, attrs: bpfAttrs })),
  };
  // the first layer's input needs no gradient, so training never runs its backprop-input
  if (s.ci > 3) {
    const bpiAttrs = { strides, pad, dataFormat: "NHWC", inputShape: [s.n, s.h, s.w, s.ci] };
    arms.bpi = () => settle(tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, bpiAttrs as unknown as tf.NamedAttrMap) as tf.Tensor);
    arms.bpiBefore = () => settleInfo(upsampling({ inputs: { dy, filter: w } as unknown as KernelArgs["inputs"], backend, attrs: bpiAttrs }));
  }
  const t = timeInterleaved(arms, { repeats: rounds, warmup: 1 });
  tf.dispose([x, w, dy, ...fresh]);
  return { layer: describeLayer(s), net: s.net, fwdGflops: +(flops / median(t.fwd!) / 1e6).toFixed(1), ...summarise(t) };
}

/** Time one pool shape: forward, registered gradient, and the gradient it replaced. */
export function timePool(p: PoolShape, rounds: number): PoolRow {
  const x = tf.randomNormal([p.n, p.h, p.w, p.c], 0, 1, "float32", 4) as tf.Tensor4D;
  const fwd = () => (p.kind === "avg" ? tf.avgPool(x, p.k, p.s, "valid") : tf.maxPool(x, p.k, p.s, "valid"));
  const y = fwd();
  const dy = tf.randomNormal(y.shape, 0, 1, "float32", 5) as tf.Tensor4D;
  const name = p.kind === "avg" ? "AvgPoolGrad" : "MaxPoolGrad";
  const inputs: tf.NamedTensorMap = p.kind === "avg" ? { dy, input: x } : { dy, input: x, output: y };
  const attrs = { filterSize: p.k, strides: p.s, pad: "valid" };
  const before = p.kind === "avg" ? wasmStockKernel("AvgPoolGrad") : maxPoolGradComposed("wasm", { simd: false });
  if (!before) throw new Error("bench: the stock wasm AvgPoolGrad is not recorded (registerWasmKernels did not wrap it)");
  const backend = tf.backend();
  const t = timeInterleaved({
    fwd: () => settle(fwd()),
    grad: () => settle(tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor),
    before: () => settleInfo(before({ inputs: inputs as unknown as KernelArgs["inputs"], backend, attrs })),
  }, { repeats: rounds, warmup: 1 });
  tf.dispose([x, y, dy]);
  return { layer: describePool(p), net: p.net, ...summarise(t) };
}

const cell = (v: number | undefined, prefix = "") => (v === undefined ? "—" : `${prefix}${v}`);

export async function benchConvKernels(opts: { rounds?: number; nets?: string[] } = {}): Promise<{ convs: KernelRow[]; pools: PoolRow[] }> {
  const rounds = opts.rounds ?? 5;
  const chosen = (net: string) => !opts.nets || opts.nets.includes(net);
  const convs: KernelRow[] = [];
  for (const s of LAYER_SHAPES.filter((l) => chosen(l.net))) {
    const r = timeLayer(s, rounds);
    convs.push(r);
    console.log(`${r.layer}: fwd ${r.fwdGflops} GFLOP/s, fwd new filter ×${r.ratio.fwdNew}, bpf ×${r.ratio.bpf} (before ×${r.ratio.bpfBefore}), ` +
      `bpi ${r.ratio.bpi === undefined ? "—" : `×${r.ratio.bpi} (before ×${r.ratio.bpiBefore})`}`);
  }
  const pools: PoolRow[] = [];
  for (const p of POOL_SHAPES.filter((l) => chosen(l.net))) {
    const r = timePool(p, rounds);
    pools.push(r);
    console.log(`${r.layer}: fwd ${r.ms.fwd} ms, grad ${r.ms.grad} ms ×${r.ratio.grad} (before ${r.ms.before} ms ×${r.ratio.before})`);
  }
  console.log(`\nconv kernels on ${tf.getBackend()}: medians over ${rounds} interleaved rounds; ×ratio = median per-round throughput / forward's`);
  console.table(convs.map((r) => ({
    layer: r.layer, "fwd GF/s": r.fwdGflops, "fwd new ×": r.ratio.fwdNew, "bpf ×": r.ratio.bpf, "bpf before ×": r.ratio.bpfBefore,
    "bpi ×": cell(r.ratio.bpi), "bpi before ×": cell(r.ratio.bpiBefore), "bpi ×fwd new": r.ms.bpi ? +(r.ms.fwdNew! / r.ms.bpi).toFixed(2) : "—",
  })));
  console.log(`pool gradients: ms per call; ×ratio = median per-round time(forward pool) / time(arm)`);
  console.table(pools.map((r) => ({
    layer: r.layer, "fwd ms": r.ms.fwd, "grad ms": r.ms.grad, "grad ×": r.ratio.grad, "before ms": r.ms.before, "before ×": r.ratio.before,
  })));
  const nets = [...new Set(pools.map((p) => p.net))].filter((n) => convs.some((c) => c.net === n));
  if (nets.length) {
    console.log("per network: one call of every kernel above (ms), i.e. the conv + pool kernel time of one training step's layers");
    console.table(nets.map((net) => {
      const sum = (rows: Array<{ net: string; ms: Record<string, number> }>, arm: string) =>
        +rows.filter((r) => r.net === net).reduce((a, r) => a + (r.ms[arm] ?? 0), 0).toFixed(1);
      const conv = sum(convs, "fwd") + sum(convs, "bpf") + sum(convs, "bpi");
      const grad = sum(pools, "grad"), before = sum(pools, "before");
      return {
        net, "conv fwd+bpf+bpi ms": +conv.toFixed(1), "pool grad ms": grad, "pool grad share": `${(100 * grad / (conv + grad + sum(pools, "fwd"))).toFixed(1)} %`,
        "pool grad before ms": before, "before share": `${(100 * before / (conv + before + sum(pools, "fwd"))).toFixed(1)} %`,
      };
    }));
  }
  return { convs, pools };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
  await initBackend();
  await benchConvKernels({ rounds: Number(arg("--rounds") ?? 5), nets: arg("--only")?.split(",") });
}
