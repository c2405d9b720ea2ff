/**
 * The one TensorFlow.js instance the whole library uses.
 *
 * Everything in spikelab imports `tf` from here (never from `@tensorflow/tfjs` directly) so that
 * the backend chosen by {@link initBackend} and the kernels registered for it are the ones every
 * module sees, whether the caller is tsx, vitest or a tslab notebook.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export type { Tensor, Rank, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Tensor5D, Variable } from "@tensorflow/tfjs";
