/**
 * Forward hooks: run a callback with chosen modules' `forward` wrapped so that every call reports
 * (name, module, input, output) to a hook — what firing-rate, SOP, FLOP and input-shape probes need —
 * and restore the modules afterwards, whatever happens (try/finally; for an async callback, when its
 * promise settles).
 *
 * The hook runs synchronously inside the forward pass (usually inside the caller's `tf.tidy`): tensors it
 * wants to keep past the pass must be `tf.keep`-ed, and it should not read tensors back synchronously
 * (`dataSync` throws on webgpu) — keep a small tensor and `await t.data()` after the pass instead.
 */
import type { tf } from "../backend/tf.js";
import type { Module } from "./module.js";

export interface ForwardCall {
  /** The name the module was hooked under (a `leafModules` path such as `conv.0`). */
  name: string;
  module: Module;
  input: tf.Tensor;
  output: tf.Tensor;
}

export type ForwardHook = (call: ForwardCall) => void;

/**
 * Wrap each `[name, module]`'s forward with `hook` while `body` runs, then restore them (also when `body`
 * throws or its promise rejects). Returns what `body` returns. A module listed twice is hooked twice.
 */
export function withForwardHooks<R>(modules: Iterable<readonly [string, Module]>, hook: ForwardHook, body: () => R): R {
  const undo: (() => void)[] = [];
  const restore = () => { for (const u of undo.reverse()) u(); undo.length = 0; };
  try {
    for (const [name, module] of modules) {
      const hadOwn = Object.prototype.hasOwnProperty.call(module, "forward");
      const inner = module.forward;
      module.forward = (input: tf.Tensor) => {
        const output = inner.call(module, input);
        hook({ name, module, input, output });
        return output;
      };
      // A prototype method is uncovered again by deleting the own property; an own one is put back.
      undo.push(hadOwn ? () => { module.forward = inner; } : () => { delete (module as { forward?: unknown }).forward; });
    }
  } catch (e) {
    restore();
    throw e;
  }
  let settlesLater = false;
  try {
    const result = body();
    if (isThenable(result)) {
      settlesLater = true;
      return Promise.resolve(result).finally(restore) as R;
    }
    return result;
  } finally {
    if (!settlesLater) restore();
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}
