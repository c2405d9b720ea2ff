/** What the backend ladder says about optional packages: whether one is installed, and a failure in one line. */
import { createRequire } from "node:module";

/** Whether a package can be resolved from this project (without loading it). */
export function isInstalled(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** The first line of an error's message, at most 160 characters (for the one start-up line). */
export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0]!.slice(0, 160);
}
