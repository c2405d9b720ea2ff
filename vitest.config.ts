import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The webgpu group has its own config (vitest.webgpu.config.ts, `npm run test:webgpu`).
    exclude: ["test/webgpu/**", "node_modules/**"],
    // Top-level await in the setup file, not beforeAll: describe() bodies run before hooks (toolchain §6).
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
    env: { SPIKELAB_QUIET: "1" },
  },
});
