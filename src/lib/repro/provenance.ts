/** The environment block of every result (toolchain §9): enough to rerun and to compare fairly. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import { join } from "node:path";
import { currentBackend } from "../backend/index.js";
import { tf } from "../backend/tf.js";

export interface Provenance {
  date: string;
  command: string;
  seed: number;
  scale: string;
  wallS: number;
  /** Gradient worker threads an item that trains in workers uses (the resolved `--workers`); results agree across counts up to float32 summation order. */
  workers?: number;
  backend: string;
  tfjs: string;
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  git: { commit: string | null; dirty: boolean | null };
  packageLockSha256: string | null;
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function provenance(opts: { seed: number; scale: string; wallS: number; root?: string; workers?: number }): Provenance {
  const root = opts.root ?? process.cwd();
  const lock = join(root, "package-lock.json");
  const commit = git(["rev-parse", "HEAD"], root);
  const status = commit ? git(["status", "--porcelain", "--untracked-files=no"], root) : null;
  return {
    date: new Date().toISOString(),
    command: process.argv.slice(1).join(" "),
    seed: opts.seed,
    scale: opts.scale,
    wallS: opts.wallS,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    backend: currentBackend()?.rung ?? tf.getBackend(),
    tfjs: tf.version.tfjs,
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    platform: `${platform()} ${release()}`,
    git: { commit, dirty: status === null ? null : status.length > 0 },
    packageLockSha256: existsSync(lock) ? createHash("sha256").update(readFileSync(lock)).digest("hex") : null,
  };
}
