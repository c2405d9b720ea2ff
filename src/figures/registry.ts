/**
 * The registry of the papers this project reproduces: their titles, claims and items. `reproduce.ts`, the
 * notebooks (`./index.ts`) and the tests hand it to the generic runner in `src/lib/repro/`.
 * A new paper adds its folder (`<paper>/claims.ts` and figure modules), its items in `./items.ts`, and one
 * line here.
 */
import { Registry } from "../lib/repro/registry.js";
import * as imp from "./imp/claims.js";
import { ITEMS } from "./items.js";
import * as mpePsn from "./mpe-psn/claims.js";
import * as mulfree from "./mulfree/claims.js";

const PAPERS = [mpePsn, imp, mulfree];

export const REGISTRY = new Registry({
  papers: PAPERS.map((p) => p.PAPER),
  claims: PAPERS.flatMap((p) => [...p.CLAIMS]),
  items: ITEMS,
});

/** A claim of any paper by id (`mulfree:table6/psn/total-energy`). */
export const getClaim = (id: string) => REGISTRY.getClaim(id);
/** The claims of one item. */
export const claimsFor = (paper: string, item: string) => REGISTRY.claimsFor(paper, item);
