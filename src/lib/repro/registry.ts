/**
 * A registry: the papers, their claims and their reproducible items, handed to the runner, the CLI and the
 * notebook helpers. The library holds no registry of its own — `src/figures/registry.ts` builds the one for
 * the papers this project reproduces; adding a paper touches nothing under `src/lib/`.
 */
import type { Claim, Paper } from "./claims.js";
import type { ReproItem } from "./item.js";

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

export class Registry {
  readonly papers: readonly Paper[];
  readonly claims: readonly Claim[];
  readonly items: readonly ReproItem[];
  private readonly claimById: Map<string, Claim>;
  private readonly itemById: Map<string, ReproItem>;
  private readonly paperById: Map<string, Paper>;

  /** Checks that ids are unique and that every claim and item names a paper of the registry. */
  constructor(spec: { papers: Paper[]; claims: Claim[]; items: ReproItem[] }) {
    this.papers = Object.freeze([...spec.papers]);
    this.claims = Object.freeze([...spec.claims]);
    this.items = Object.freeze([...spec.items]);
    this.paperById = new Map(this.papers.map((p) => [p.id, p]));
    this.claimById = new Map(this.claims.map((c) => [c.id, c]));
    this.itemById = new Map(this.items.map((i) => [i.id, i]));
    if (this.paperById.size !== this.papers.length) throw new Error("registry: duplicate paper ids");
    if (this.claimById.size !== this.claims.length) throw new Error("registry: duplicate claim ids");
    if (this.itemById.size !== this.items.length) throw new Error("registry: duplicate item ids");
    for (const x of [...this.claims, ...this.items]) {
      if (!this.paperById.has(x.paper)) throw new Error(`registry: '${x.id}' names paper '${x.paper}', which is not registered`);
    }
  }

  paper(id: string): Paper {
    const p = this.paperById.get(id);
    if (!p) throw new Error(`unknown paper '${id}'; registered: ${[...this.paperById.keys()].join(", ")}`);
    return p;
  }

  getClaim(id: string): Claim {
    const c = this.claimById.get(id);
    if (!c) throw new Error(`unknown claim id '${id}'`);
    return c;
  }

  claimsFor(paper: string, item: string): Claim[] {
    return this.claims.filter((c) => c.paper === paper && c.item === item);
  }

  getItem(id: string): ReproItem | undefined {
    return this.itemById.get(id);
  }

  closestIds(query: string, n = 3): string[] {
    const q = query.toLowerCase();
    return this.items.map((i) => ({ id: i.id, d: Math.min(editDistance(q, i.id), editDistance(q, i.item) + 1) }))
      .sort((x, y) => x.d - y.d || x.id.localeCompare(y.id))
      .slice(0, n)
      .map((x) => x.id);
  }

  /**
   * Resolve a user id: `paper:item`, or a bare item (`table2`) meaning that item of every paper that has
   * one. Throws, listing the closest ids, when nothing matches.
   */
  resolveIds(query: string): ReproItem[] {
    const exact = this.getItem(query);
    if (exact) return [exact];
    if (!query.includes(":")) {
      const matches = this.items.filter((i) => i.item === query);
      if (matches.length) return matches;
    }
    throw new Error(`unknown item '${query}'. Closest: ${this.closestIds(query).join(", ")}. Run 'npx tsx reproduce.ts list' for all ids.`);
  }
}
