/**
 * Where the authors' released logs of each paper live once `data/fetch/official-logs.ts` has unpacked them:
 * `data/raw/official/<paper>/<commit>/` (root overridable with SPIKELAB_OFFICIAL), the pinned repository
 * commits, and which of their files are logs. Shared by the fetch command and the audit items.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

export interface OfficialSource {
  repo: string;
  /** Pinned full commit. */
  commit: string;
  /** Which repository paths are unpacked. */
  include(path: string): boolean;
  what: string;
}

export const OFFICIAL_SOURCES = {
  "mpe-psn": {
    repo: "Chrazqee/MPE-PSN", commit: "94734ce319dc3be40cb2415c26e578707d4e9f47",
    include: (p: string) => p.endsWith(".log") || basename(p).startsWith("events.out.tfevents."),
    what: "*.log and events.out.tfevents.* files",
  },
  imp: {
    repo: "StephenTaylor1998/IMP-SNN", commit: "db05f3e44a203c8edbf6369a85bab82729fe844b",
    include: (p: string) => p === "in1k/LTS/run.sh",
    what: "in1k/LTS/run.sh (ImageNet results as comments)",
  },
} satisfies Record<string, OfficialSource>;
export type OfficialPaper = keyof typeof OFFICIAL_SOURCES;

export const DEFAULT_OFFICIAL_ROOT = join("data", "raw", "official");

export function officialRoot(): string {
  return process.env.SPIKELAB_OFFICIAL ?? DEFAULT_OFFICIAL_ROOT;
}

/** Folder of a paper's unpacked logs at a commit. */
export function officialLogsDir(paper: OfficialPaper, commit: string = OFFICIAL_SOURCES[paper].commit, root = officialRoot()): string {
  return join(root, paper, commit);
}

/** The command that fetches a paper's logs (named in every "missing file" message). */
export function fetchCommand(paper: OfficialPaper): string {
  return `npx tsx data/fetch/official-logs.ts --paper ${paper}`;
}

/** A file of the unpacked logs, or an error message naming it and the fetch command. */
export function readOfficialFile(dir: string, path: string, paper: OfficialPaper): { bytes: Uint8Array } | { missing: string } {
  const p = join(dir, path);
  if (!existsSync(p)) return { missing: `${p} is missing: run '${fetchCommand(paper)}' (or with --from a local copy; see README "Authors' logs")` };
  return { bytes: new Uint8Array(readFileSync(p)) };
}
