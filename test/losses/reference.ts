/** Plain float64 re-implementations of the loss equations, used as independent references in tests. */
export function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}
export function ce(z: number[], target: number[]): number {
  const ls = logSoftmax(z);
  return -target.reduce((s, t, k) => s + t * ls[k]!, 0);
}
export function smooth(y: number, K: number, eps: number): number[] {
  return Array.from({ length: K }, (_, k) => (k === y ? 1 - eps : 0) + eps / K);
}
export const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
