/**
 * Starting a worker thread on an ES module that may be TypeScript.
 *
 * Under tsx or vitest the library's own files are `.ts`; under `dist/` they are `.js`. A `.ts` module needs
 * tsx's loader inside the worker: a worker's `execArgv: ["--import", "tsx"]` does not reach its module loader
 * in Node 20, so the thread starts from a small eval'd bootstrap that registers tsx's ES-module API first and
 * then imports the entry. Plain `.js` entries (notebooks on `dist/`) start without tsx.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const TS_MODULE = /\.[cm]?ts$/;

/** The sibling `name` (without extension) of the module at `moduleUrl`, with that module's extension. */
export function siblingModule(moduleUrl: string, name: string): string {
  const self = new URL(moduleUrl);
  return new URL(`./${name}${self.pathname.endsWith(".ts") ? ".ts" : ".js"}`, self).href;
}

/**
 * A worker thread running the ES module `entryUrl`; `alsoLoads` are further modules it will import (a `.ts`
 * one among them also needs tsx). Throws, naming the module, when tsx is needed but not installed.
 */
export function startThread(entryUrl: string, workerData: unknown, alsoLoads: string[] = []): Worker {
  const needsTsx = [entryUrl, ...alsoLoads].find((m) => TS_MODULE.test(new URL(m, "file:///").pathname));
  let tsx: string | null = null;
  if (needsTsx) {
    try {
      // The ES-module build of tsx's API: `require.resolve` finds the CommonJS one, whose register() fails in a worker.
      tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
    } catch {
      throw new Error(`worker thread: loading ${needsTsx} needs the tsx package (TypeScript loader), which is not installed`);
    }
  }
  const load = `import(${JSON.stringify(entryUrl)})`;
  const code = (tsx ? `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return ${load}; })` : load) +
    // A failed import becomes the thread's uncaught exception, i.e. its 'error' event.
    `.catch((e) => setImmediate(() => { throw e; }));`;
  return new Worker(code, { eval: true, workerData });
}
