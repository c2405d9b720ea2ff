/** Byte-building helpers for hand-written fixtures (events-and-parity §3 recipes). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

export function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}
export function u16le(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff]; }
export function u32le(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]; }
export function u32be(v: number): number[] { return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]; }

/** 28-byte AEDAT 3.1 packet header. */
export function packetHeader(f: { type: number; source?: number; size?: number; tsOffset?: number; overflow?: number; capacity: number; number?: number; valid?: number }): number[] {
  return [
    ...u16le(f.type), ...u16le(f.source ?? 1), ...u32le(f.size ?? 8), ...u32le(f.tsOffset ?? 4), ...u32le(f.overflow ?? 0),
    ...u32le(f.capacity), ...u32le(f.number ?? f.capacity), ...u32le(f.valid ?? f.capacity),
  ];
}
/** One polarity event `data = (x<<17)|(y<<2)|(p<<1)|valid`, `t`. */
export function polarityEvent(x: number, y: number, p: number, t: number, valid = 1): number[] {
  return [...u32le(((x << 17) | (y << 2) | (p << 1) | valid) >>> 0), ...u32le(t)];
}

const made: string[] = [];
afterAll(() => { for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A fresh temp folder, removed when the test process exits. */
export function tmp(prefix = "spikelab-data-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

import type { Events } from "../../src/lib/data/events.js";
/** First index where two event sets differ, or -1 (fast for large sets; vitest deep-equal is slow on big typed arrays). */
export function firstDiff(a: Events, b: Events): number {
  if (a.t.length !== b.t.length) return Math.min(a.t.length, b.t.length);
  for (let i = 0; i < a.t.length; i++) {
    if (a.t[i] !== b.t[i] || a.x[i] !== b.x[i] || a.y[i] !== b.y[i] || a.p[i] !== b.p[i]) return i;
  }
  return -1;
}
