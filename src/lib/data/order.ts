/**
 * Class-interleaved sample order: the first sample of every class (ascending class index), then the second
 * of every class, and so on. Its prefixes are class-balanced subsets, which reduced-scale runs use
 * (`limit`); samples keep their dataset order within a class.
 */
export function classInterleavedOrder(labels: ArrayLike<number>, limit?: number): number[] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    let l = byClass.get(y);
    if (!l) byClass.set(y, (l = []));
    l.push(i);
  }
  const lists = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  const out: number[] = [];
  for (let k = 0; out.length < labels.length; k++) for (const l of lists) if (k < l.length) out.push(l[k]!);
  return out.slice(0, limit ?? out.length);
}
