import { defineConfig } from "vitest/config";

// The webgpu test group (`npm run test:webgpu`): custom kernels and every paper network on the webgpu
// rung, compared with cpu. Needs a WebGPU adapter; in CI Mesa's lavapipe (.ci/run installs it) with
// VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json. Without an adapter every file fails (setup).
export default defineConfig({
  test: {
    include: ["test/webgpu/**/*.test.ts"],
    setupFiles: ["test/webgpu/setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // One process: one device, and lavapipe already uses every core; shader compilation is paid once.
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    reporters: ["default"],
    env: { SPIKELAB_QUIET: "1" },
  },
});
