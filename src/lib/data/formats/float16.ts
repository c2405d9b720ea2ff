/**
 * IEEE 754 binary16 ("half", numpy float16) ↔ number. HDF5 files such as SHD store spike times as float16, which
 * neither JavaScript typed arrays (Node 20) nor h5wasm decode.
 */

/** binary16 bits → number (exact: every float16 value is representable as a float32). */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // ±0 and subnormals
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** number → binary16 bits, rounding to nearest (ties to even) as numpy's `astype(float16)`; overflow → ±Inf. */
export function float32ToFloat16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -24 * 0.5) return sign; // rounds to zero (exactly half rounds to even = 0)
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp--; // guard log2 rounding
  if (exp < -14) {
    // subnormal: units of 2^-24
    const m = roundHalfEven(a / 2 ** -24);
    return sign | m; // m = 1024 carries into the smallest normal exponent, which is the right encoding
  }
  let m = roundHalfEven((a / 2 ** exp - 1) * 1024);
  if (m === 1024) { m = 0; exp++; }
  if (exp > 15) return sign | 0x7c00;
  return sign | ((exp + 15) << 10) | m;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
