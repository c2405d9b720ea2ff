/**
 * Throughput of the conv backprop kernels against the forward conv of the same FLOPs, on the papers' layer shapes
 * (wasm). Per layer, every arm runs once per round, round-robin (`timeInterleaved`), so a load change on the shared
 * machine hits all arms of a round alike; the table shows median GFLOP/s per arm and the median over rounds of the
 * per-round throughput ratio to the forward conv (1.0 = as fast as forward).
 *
 * Arms: `fwd` Conv2D; `bpf` the registered Conv2DBackpropFilter (the SIMD outer-product kernel on wasm); `bpf conv`
 * the forward-conv composition it replaced (`simd: false`, transposed x and dy); `bpi` the registered
 * Conv2DBackpropInput (forward conv of dy with the flipped filter). FLOPs = 2·N·Ho·Wo·KH·KW·Ci·Co for every arm.
 *
 *   npx tsx bench/conv-kernels.ts [--rounds 5] [--only vgg,sew]      (also: npm run bench -- --only kernels)
 */
import { pathToFileURL } from "node:url";
import { initBackend, tf } from "../src/lib/backend/index.js";
import { conv2dBackpropFilterComposed } from "../src/lib/backend/kernels/conv2d-backprop-filter.js";
import type { KernelArgs, TensorInfo } from "../src/lib/backend/kernels/compose.js";
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

export interface KernelRow {
  layer: string;
  fwdGflops: number;
  bpfGflops: number;
  bpfConvGflops: number;
  bpiGflops: number | null;
  /** median per-round ratios of throughput to the forward conv */
  bpfRatio: number;
  bpfConvRatio: number;
  bpiRatio: number | null;
}

export function describeLayer(s: ConvLayerShape): string {
  return `${s.net} ${s.n}×${s.h}×${s.w} ${s.ci}→${s.co} ${s.kh}×${s.kw}/${s.stride}`;
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
  const backend = tf.backend();
  const fence = (t: tf.Tensor) => { t.dataSync(); t.dispose(); };
  const arms: Record<string, () => void> = {
    fwd: () => fence(tf.conv2d(x, w, s.stride, pad)),
    bpf: () => fence(tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, bpfAttrs as unknown as tf.NamedAttrMap) as tf.Tensor),
    bpfConv: () => {
      const info = convComposition({ inputs: { x, dy } as unknown as KernelArgs["inputs"], backend, attrs: bpfAttrs });
      (backend as unknown as { readSync(id: object): unknown }).readSync(info.dataId);
      backend.disposeData((info as TensorInfo).dataId);
    },
  };
  // the first layer's input needs no gradient, so training never runs its backprop-input
  if (s.ci > 3) {
    arms.bpi = () => fence(tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w },
      { strides, pad, dataFormat: "NHWC", inputShape: [s.n, s.h, s.w, s.ci] } as unknown as tf.NamedAttrMap) as tf.Tensor);
  }
  const t = timeInterleaved(arms, { repeats: rounds, warmup: 1 });
  tf.dispose([x, w, dy]);
  const gf = (ms: number[]) => +(flops / median(ms) / 1e6).toFixed(1);
  const ratio = (ms: number[]) => +median(ms.map((v, i) => t.fwd![i]! / v)).toFixed(2);
  return {
    layer: describeLayer(s),
    fwdGflops: gf(t.fwd!), bpfGflops: gf(t.bpf!), bpfConvGflops: gf(t.bpfConv!), bpiGflops: t.bpi ? gf(t.bpi) : null,
    bpfRatio: ratio(t.bpf!), bpfConvRatio: ratio(t.bpfConv!), bpiRatio: t.bpi ? ratio(t.bpi) : null,
  };
}

export async function benchConvKernels(opts: { rounds?: number; nets?: string[] } = {}): Promise<KernelRow[]> {
  const rounds = opts.rounds ?? 5;
  const shapes = LAYER_SHAPES.filter((s) => !opts.nets || opts.nets.includes(s.net));
  const rows: KernelRow[] = [];
  for (const s of shapes) {
    const r = timeLayer(s, rounds);
    rows.push(r);
    console.log(`${r.layer}: fwd ${r.fwdGflops} GFLOP/s, bpf ×${r.bpfRatio} (before ×${r.bpfConvRatio}), bpi ${r.bpiRatio === null ? "—" : `×${r.bpiRatio}`}`);
  }
  console.log(`\nconv kernels on ${tf.getBackend()}: GFLOP/s medians over ${rounds} interleaved rounds; ×ratio = median per-round throughput / forward's`);
  console.table(rows.map((r) => ({
    layer: r.layer, "fwd GF/s": r.fwdGflops, "bpf GF/s": r.bpfGflops, "bpf ×fwd": r.bpfRatio,
    "bpf before GF/s": r.bpfConvGflops, "before ×fwd": r.bpfConvRatio, "bpi GF/s": r.bpiGflops ?? "—", "bpi ×fwd": r.bpiRatio ?? "—",
  })));
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
  await initBackend();
  await benchConvKernels({ rounds: Number(arg("--rounds") ?? 5), nets: arg("--only")?.split(",") });
}
