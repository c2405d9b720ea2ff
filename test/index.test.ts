import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as root from "../src/index.js";
import * as internal from "../src/internal.js";

/** The backticked names of the README's "Public API" section, split into values and types. */
function readmeApi(): { values: string[]; types: string[] } {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const start = readme.indexOf("### Public API");
  expect(start, "README has a '### Public API' section").toBeGreaterThan(-1);
  const section = readme.slice(start, readme.indexOf("\n## ", start));
  const values: string[] = [], types: string[] = [];
  for (const line of section.split("\n").filter((l) => l.startsWith("- **"))) {
    const body = line.slice(line.indexOf("**:", 4) + 3);
    const [vals, typ = ""] = body.split("; types ");
    for (const m of vals!.matchAll(/`([A-Za-z_$][\w$]*)`/g)) values.push(m[1]!);
    for (const m of typ.matchAll(/`([A-Za-z_$][\w$]*)`/g)) types.push(m[1]!);
  }
  return { values, types };
}

/** Type names re-exported by `export type { … }` in src/index.ts. */
function rootTypeNames(): string[] {
  const src = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");
  return [...src.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((s) => s.trim()).filter(Boolean));
}

describe("package root (the public API)", () => {
  it("exports exactly the values the README lists", () => {
    expect(Object.keys(root).sort()).toEqual(readmeApi().values.sort());
  });
  it("exports exactly the types the README lists", () => {
    expect(rootTypeNames().sort()).toEqual(readmeApi().types.sort());
  });
  it("keeps internals out of the root and in spikelab/internal", () => {
    for (const name of ["registerFusedKernels", "wasmHeapMemory", "writeFileAtomic", "checkConfig", "BlockDecoder", "stepSeed"]) {
      expect(name in root, `${name} is not public`).toBe(false);
      expect(name in internal, `${name} is in spikelab/internal`).toBe(true);
    }
  });
  it("is a subset of spikelab/internal (one implementation per name)", () => {
    for (const [name, value] of Object.entries(root)) {
      expect(value, `${name} is defined (a re-export of a missing name is undefined at run time)`).toBeDefined();
      expect((internal as Record<string, unknown>)[name], name).toBe(value);
    }
  });
});
