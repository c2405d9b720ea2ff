export * from "./claims.js";
export * from "./verdict.js";
export * from "./item.js";
export * from "./items.js";
export * from "./provenance.js";
export * from "./runner.js";
export * from "./notebook.js";
export { runItem, resolveIds, listItems, reportMarkdown, type ItemReport } from "./runner.js";
export { ITEMS, getItem } from "./items.js";
