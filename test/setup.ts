// Every test file runs on the backend the ladder picks (wasm here), or SPIKELAB_BACKEND.
import { initBackend } from "../src/lib/backend/index.js";

await initBackend({ log: false });
