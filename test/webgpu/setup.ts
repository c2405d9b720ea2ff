// The webgpu test group runs on the webgpu rung or fails: no adapter (e.g. CI without lavapipe) is an
// error naming why, never a skip.
import { tf, useBackend } from "../../src/lib/backend/index.js";

const choice = await useBackend("webgpu", { log: false });
if (tf.getBackend() !== "webgpu") throw new Error(`webgpu test group: backend is '${tf.getBackend()}' (${choice.detail ?? ""})`);
