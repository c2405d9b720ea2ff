/**
 * Where fetched data sets live: `data/raw/<dataset>/…` (what `data/fetch/<dataset>.ts` writes), or
 * `$SPIKELAB_DATA/<dataset>/…` when that variable moves the root.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The root of every fetched data set. */
export function rawDataRoot(): string {
  return process.env.SPIKELAB_DATA ?? join("data", "raw");
}

/** A fetched data set's folder: `rawDataRoot()/<parts…>`. */
export function rawDataPath(...parts: string[]): string {
  return join(rawDataRoot(), ...parts);
}

/** Throws, naming the folder and the command that fetches it, when a fetched data set is missing. */
export function requireFetched(path: string, fetchCommand: string): string {
  if (!existsSync(path)) throw new Error(`${path}: not found. Fetch the dataset with '${fetchCommand}' (or set SPIKELAB_DATA).`);
  return path;
}
