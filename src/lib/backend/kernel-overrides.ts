/**
 * Registering spikelab's own kernel implementations over (or beside) a TF.js backend's stock ones, shared by
 * the wasm and webgpu rungs: every kernel config spikelab registers carries one mark, so a second
 * registration pass recognises its own kernels and leaves them (registration is idempotent), and a wrapper
 * receives the stock kernel function it replaces.
 */
import { tf } from "./tf.js";

const MARK = Symbol.for("spikelab.kernel");

/** Whether kernel `name` on `backend` is one spikelab registered. */
export function isOwnKernel(name: string, backend: string): boolean {
  const k = tf.getKernel(name, backend) as (tf.KernelConfig & { [MARK]?: true }) | undefined;
  return k != null && k[MARK] === true;
}

/** Registers `impl` as kernel `name` on `backend`, marked as spikelab's; `base` keeps a stock config's other fields (e.g. a wasm `setupFunc`). */
export function registerOwnKernel(name: string, backend: string, impl: unknown, base: Partial<tf.KernelConfig> = {}): void {
  tf.registerKernel({ ...base, kernelName: name, backendName: backend, kernelFunc: impl as tf.KernelFunc, [MARK]: true } as tf.KernelConfig);
}

/**
 * Replaces the stock kernel `name` on `backend` by `make(stock)`; returns the stock function, or null when the
 * kernel is already spikelab's or the backend has none.
 */
export function wrapKernel<F>(name: string, backend: string, make: (stock: F) => unknown): F | null {
  if (isOwnKernel(name, backend)) return null;
  const stock = tf.getKernel(name, backend);
  if (stock == null) return null;
  tf.unregisterKernel(name, backend);
  const fn = stock.kernelFunc as unknown as F;
  registerOwnKernel(name, backend, make(fn), stock);
  return fn;
}
