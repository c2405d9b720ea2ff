import { describe, expect, it } from "vitest";
import { CUDA_REQUIREMENTS, missingSharedLibrary, nativeLoadFailure } from "../../src/lib/backend/cuda.js";

// Messages as the dynamic loader words them when tfjs-node-gpu's addon is loaded.
const GLIBC = "libcudnn.so.8: cannot open shared object file: No such file or directory";
const ADDON = "/app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node";

describe("node-gpu load failures name the missing shared library", () => {
  it("finds the library in glibc, musl and dlopen-wrapper messages, never the addon that needed it", () => {
    expect(missingSharedLibrary(GLIBC)).toBe("libcudnn.so.8");
    expect(missingSharedLibrary(`Error: ${ADDON}: libcudart.so.11.0: cannot open shared object file: No such file or directory`)).toBe("libcudart.so.11.0");
    expect(missingSharedLibrary("Error loading shared library libcublasLt.so.11: No such file or directory (needed by /x/deps/lib/libtensorflow.so.2)")).toBe("libcublasLt.so.11");
    expect(missingSharedLibrary(`${ADDON}: libtensorflow.so.2: cannot open shared object file`)).toBe("libtensorflow.so.2");
    expect(missingSharedLibrary("Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open")).toBe("libcuda.so.1");
    expect(missingSharedLibrary(`${ADDON}: undefined symbol: TF_NewStatus`)).toBeNull();
  });
  it("says what provides it and the CUDA requirements", () => {
    const why = nativeLoadFailure("@tensorflow/tfjs-node-gpu", new Error(`${ADDON}: ${GLIBC}`));
    expect(why).toBe(`@tensorflow/tfjs-node-gpu failed to load: shared library libcudnn.so.8 not found — it comes with cuDNN 8.1 (${CUDA_REQUIREMENTS})`);
    expect(nativeLoadFailure("@tensorflow/tfjs-node-gpu", new Error("libcudart.so.11.0: cannot open shared object file"))).toMatch(/libcudart\.so\.11\.0 not found — it comes with the CUDA 11\.2 runtime/);
    expect(nativeLoadFailure("@tensorflow/tfjs-node", new Error("libtensorflow.so.2: cannot open shared object file"))).not.toMatch(/CUDA/);
    expect(nativeLoadFailure("@tensorflow/tfjs-node-gpu", new Error("something else\nline 2"))).toBe("@tensorflow/tfjs-node-gpu failed to load: something else");
  });
});
