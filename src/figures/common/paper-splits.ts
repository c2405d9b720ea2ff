/**
 * Train / test sizes of the paper-scale datasets, for the items' paper workloads (`<paper>/workloads.ts`).
 * Each from the spec (papers.md §2.4, §3.5, §4.4, §5b; events-and-parity.md) or the dataset's official lists.
 */
export interface SplitSizes {
  train: number;
  test: number;
}

/** CIFAR10-DVS: 10 classes × 1000 recordings; the TEBN split keeps files 0–99 of each class for test (9:1). */
export const CIFAR10_DVS_TEBN: SplitSizes = { train: 10 * 900, test: 10 * 100 };
/** CIFAR10-DVS, IMP "128" config: a seeded shuffle per class, first 900 train, last 100 test. */
export const CIFAR10_DVS_SEEDED: SplitSizes = { train: 10 * 900, test: 10 * 100 };
/** DVS128 Gesture: SpikingJelly's official lists, 1176 train / 288 test. */
export const DVS_GESTURE: SplitSizes = { train: 1176, test: 288 };
/** N-Caltech101: 8709 recordings (SpikingJelly requires ≥ 8709 `.bin` files). */
export const NCALTECH101_SAMPLES = 8709;
/** N-Caltech101, MPE-PSN split: the first ⌊0.1·n⌋ files of each class test, 816 in all (papers.md §2.4). */
export const NCALTECH101_MPE: SplitSizes = { train: NCALTECH101_SAMPLES - 816, test: 816 };
/**
 * N-Caltech101, IMP seeded split: ⌊0.9·n⌋ of each class train. The per-class counts are not in the spec, so
 * the split is taken as 9:1 of the whole (off by at most one sample per class, 101 in all).
 */
export const NCALTECH101_SEEDED: SplitSizes = { train: Math.round(0.9 * NCALTECH101_SAMPLES), test: NCALTECH101_SAMPLES - Math.round(0.9 * NCALTECH101_SAMPLES) };
/** CIFAR10 / CIFAR100: 50 000 train / 10 000 test images. */
export const CIFAR: SplitSizes = { train: 50_000, test: 10_000 };
/** ImageNet-1k (ILSVRC2012): 1 281 167 train / 50 000 val images. */
export const IMAGENET_1K: SplitSizes = { train: 1_281_167, test: 50_000 };
/** SHD: 8 156 train / 2 264 test (the published files). */
export const SHD: SplitSizes = { train: 8156, test: 2264 };
/** DVS-Lip: 19 871 samples, the official speaker-disjoint 14 896 train / 4 975 test. */
export const DVS_LIP: SplitSizes = { train: 14_896, test: 4975 };
