export * from "./render.js";
export * from "./charts.js";
export * from "./display.js";
export * from "./plotly.js";
export * from "./legibility.js";
