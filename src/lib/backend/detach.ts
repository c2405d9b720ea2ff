/**
 * `detach(x)`: a tensor with x's values that is not on the gradient tape — no op produced it, so
 * no gradient flows through it and ops on it are never on a path from a variable to the loss.
 *
 * Why: the idiom `tf.tensor(x.dataSync(), x.shape)` detaches by copying through JS, a synchronous
 * read that throws on webgpu in Node (and stalls any GPU backend). Here the new tensor shares x's
 * data (the backend's reference count goes up, as every backend's own `Identity` does), so nothing
 * is read or copied. TF.js tensors are immutable, so sharing is safe; the result is tracked by the
 * current `tf.tidy` scope like any other tensor.
 */
import { tf } from "./tf.js";

interface RefCountedBackend {
  incRef(dataId: object): void;
}

export function detach<T extends tf.Tensor>(x: T): T {
  const engine = tf.engine();
  const backend = engine.backend as unknown as RefCountedBackend;
  backend.incRef(x.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }, engine.backend) as T;
}
