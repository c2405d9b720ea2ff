/** Building a model from a {@link WorkerSetup} — in every worker, and in the main thread for the same model. */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { WorkerModel, WorkerSetup, WorkerSetupFunction } from "./protocol.js";

/** The setup module as an import URL (a path is resolved against the working directory). */
export function setupModuleUrl(module: string): string {
  if (/^(file|data|node):/i.test(module)) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

/** Import the setup module and call its export; checks the shape of what it returns. */
export async function loadWorkerSetup(setup: WorkerSetup): Promise<WorkerModel> {
  if (!setup || typeof setup.module !== "string" || typeof setup.export !== "string") {
    throw new Error(`workerSetup: expected { module: string, export: string, args? }, got ${JSON.stringify(setup)}`);
  }
  const mod = (await import(setupModuleUrl(setup.module))) as Record<string, unknown>;
  const fn = mod[setup.export];
  if (typeof fn !== "function") throw new Error(`workerSetup: ${setup.module} has no exported function '${setup.export}' (exports: ${Object.keys(mod).join(", ") || "none"})`);
  const built = (await (fn as WorkerSetupFunction)(setup.args)) as Partial<WorkerModel> | null;
  if (!built || typeof built.model?.forward !== "function" || typeof built.loss?.loss !== "function") {
    throw new Error(`workerSetup: ${setup.module}#${setup.export} must return { model, loss, objective? }`);
  }
  return built as WorkerModel;
}

