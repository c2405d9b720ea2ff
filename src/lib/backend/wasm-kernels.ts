/** Kernels TF.js 4.22's wasm backend lacks or gets wrong (filled in by the wasm-kernels work). */
let registered = false;
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
}
