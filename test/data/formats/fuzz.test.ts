// Seeded mutation fuzz over the three event formats (issue #20): every mutated file either decodes to valid
// events (inside the sensor, polarity 0/1, safe-integer non-negative µs) or fails with an EventFileError naming
// the file and an offset inside it — never another exception, a hang or a crash. Chunked decoding agrees with
// the one-shot parse, and a file read agrees with both.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { concatEvents, type Events } from "../../../src/lib/data/events.js";
import { Aedat2Decoder, readAedat2File, writeAedat2 } from "../../../src/lib/data/formats/aedat2.js";
import { AEDAT3_PACKET_HEADER_BYTES, Aedat3Decoder, readAedat3File, writeAedat3 } from "../../../src/lib/data/formats/aedat3.js";
import { AtisDecoder, readAtisFile, writeAtis } from "../../../src/lib/data/formats/atis.js";
import type { EventDecoder } from "../../../src/lib/data/formats/stream.js";
import { movingSquareEvents } from "../../../src/lib/data/synthetic.js";
import { Rng } from "../../../src/lib/util/random.js";
import { BYTE_MUTATIONS, EDGE_U32, mutateBytes, Outcomes, pick } from "../fuzz-helpers.js";
import { firstDiff, tmp } from "../helpers.js";

const CASES_PER_FORMAT = 150;

interface Format {
  name: string;
  sensor: { width: number; height: number };
  /** A valid file from the project's writer. */
  make(rng: Rng): Uint8Array;
  decoder(file: string, total: number): EventDecoder;
  read(path: string): Promise<Events>;
  /** Format-aware edits (header lines, packet / record fields). */
  fieldEdit(b: Uint8Array, rng: Rng): Uint8Array;
}

const endOfHeader = (b: Uint8Array) => {
  const i = Buffer.from(b).indexOf("#!END-HEADER\r\n");
  return i < 0 ? 0 : i + "#!END-HEADER\r\n".length;
};
const headerEnd2 = (b: Uint8Array) => Buffer.from(b).lastIndexOf("\r\n") + 2; // writeAedat2: header lines, then binary
/** Replace one header byte with a character that changes its meaning ('#', CR, LF, a letter, 0xFF). */
function headerEdit(b: Uint8Array, end: number, rng: Rng): Uint8Array {
  const c = b.slice();
  if (end > 0) c[rng.int(end)] = pick([0x23, 0x0d, 0x0a, 0x41, 0x20, 0xff, 0x00], rng);
  return c;
}

const FORMATS: Format[] = [
  {
    name: "AEDAT 3.1",
    sensor: { width: 128, height: 128 },
    make: (rng) => writeAedat3(movingSquareEvents(rng.int(4), 4, rng, { height: 128, width: 128, durationUs: 20_000, steps: 3, t0: rng.int(2) * 2 ** 31 - 10_000 * rng.int(2) + 10_000 }), { packetEvents: 1 + rng.int(64) }),
    decoder: (file, total) => new Aedat3Decoder({ file, totalBytes: total }),
    read: (p) => readAedat3File(p),
    fieldEdit: (b, rng) => {
      const start = endOfHeader(b);
      if (rng.int(4) === 0 || start === 0) return headerEdit(b, start, rng);
      // a field of the first packet header, or of a later one found by walking the packets
      const c = b.slice();
      const dv = new DataView(c.buffer);
      let at = start;
      for (let hops = rng.int(4); hops > 0 && at + AEDAT3_PACKET_HEADER_BYTES <= c.length; hops--) {
        const next = at + AEDAT3_PACKET_HEADER_BYTES + dv.getInt32(at + 16, true) * dv.getInt32(at + 4, true);
        if (next + AEDAT3_PACKET_HEADER_BYTES > c.length) break;
        at = next;
      }
      if (at + AEDAT3_PACKET_HEADER_BYTES > c.length) return c;
      const field = pick([0, 2, 4, 8, 12, 16, 20, 24], rng);
      if (field <= 2) dv.setUint16(at + field, pick([0, 1, 2, 0x7fff, 0xffff], rng), true);
      else dv.setUint32(at + field, pick(EDGE_U32, rng), true);
      return c;
    },
  },
  {
    name: "AEDAT 2.0",
    sensor: { width: 128, height: 128 },
    make: (rng) => writeAedat2(movingSquareEvents(rng.int(4), 4, rng, { height: 128, width: 128, durationUs: 20_000, steps: 3 })),
    decoder: (file, total) => new Aedat2Decoder({ file, totalBytes: total }),
    read: (p) => readAedat2File(p),
    fieldEdit: (b, rng) => {
      const start = headerEnd2(b);
      if (rng.int(4) === 0) return headerEdit(b, start, rng);
      const c = b.slice();
      const n = Math.floor((c.length - start) / 8);
      if (n > 0) new DataView(c.buffer).setUint32(start + 8 * rng.int(n) + 4 * rng.int(2), pick(EDGE_U32, rng), false);
      return c;
    },
  },
  {
    name: "ATIS",
    sensor: { width: 240, height: 180 },
    make: (rng) => writeAtis(movingSquareEvents(rng.int(4), 4, rng, { height: 180, width: 240, durationUs: 20_000, steps: 3 })),
    decoder: (file, total) => new AtisDecoder({ file, totalBytes: total }),
    read: (p) => readAtisFile(p),
    fieldEdit: (b, rng) => {
      const c = b.slice();
      const n = Math.floor(c.length / 5);
      if (n > 0) c[5 * rng.int(n) + rng.int(5)] = pick([0, 1, 0x7f, 0x80, 179, 180, 239, 240, 255], rng);
      return c;
    },
  },
];

type Outcome = { ok: Events } | { err: EventFileError };

/** Decode through the incremental decoder in random pieces; any non-EventFileError propagates (and fails the test). */
function decodeInPieces(f: Format, bytes: Uint8Array, file: string, rng: Rng): Outcome {
  const dec = f.decoder(file, bytes.length);
  const parts: Events[] = [];
  try {
    for (let a = 0; a < bytes.length;) {
      const b = Math.min(bytes.length, a + 1 + rng.int(700));
      parts.push(dec.push(bytes.subarray(a, b)));
      a = b;
    }
    parts.push(dec.end());
    return { ok: concatEvents(parts) };
  } catch (e) {
    if (e instanceof EventFileError) return { err: e };
    throw e;
  }
}

function oneShot(f: Format, bytes: Uint8Array, file: string): Outcome {
  const dec = f.decoder(file, bytes.length);
  try {
    const a = dec.push(bytes);
    return { ok: concatEvents([a, dec.end()]) };
  } catch (e) {
    if (e instanceof EventFileError) return { err: e };
    throw e;
  }
}

/** The outcome classes the issue allows (see file comment); returns the class name. */
function checkOutcome(o: Outcome, f: Format, file: string, length: number, label: string): string {
  if ("err" in o) {
    expect(o.err.file, label).toBe(file);
    expect(Number.isSafeInteger(o.err.offset) && o.err.offset >= 0 && o.err.offset <= length, `${label}: offset ${o.err.offset} of ${length}`).toBe(true);
    expect(o.err.message.startsWith(`${file}: at byte ${o.err.offset}: expected `), label).toBe(true);
    return "EventFileError";
  }
  const { t, x, y, p } = o.ok;
  const n = t.length;
  expect([x.length, y.length, p.length], label).toEqual([n, n, n]);
  for (let i = 0; i < n; i++) {
    if (!(x[i]! < f.sensor.width && y[i]! < f.sensor.height && p[i]! <= 1 && Number.isSafeInteger(t[i]!) && t[i]! >= 0)) {
      throw new Error(`${label}: event ${i} is invalid: t=${t[i]}, x=${x[i]}, y=${y[i]}, p=${p[i]}`);
    }
  }
  return n === 0 ? "no events" : "valid events";
}

const same = (a: Outcome, b: Outcome, label: string) => {
  if ("err" in a || "err" in b) {
    expect("err" in a && "err" in b ? [a.err.offset, a.err.expected] : ["ok" in a, "ok" in b], label)
      .toEqual("err" in b && "err" in a ? [b.err.offset, b.err.expected] : ["ok" in b, "ok" in a]);
  } else {
    expect(a.ok.t.length, label).toBe(b.ok.t.length);
    expect(firstDiff(a.ok, b.ok), label).toBe(-1);
  }
};

describe("seeded mutation fuzz of the event decoders (issue #20)", () => {
  for (const [fi, f] of FORMATS.entries()) {
    it(`${f.name}: ${CASES_PER_FORMAT} mutated files → valid events or an EventFileError with file and offset`, async () => {
      const seed = 20_000 + fi;
      const rng = new Rng(seed);
      const dir = tmp();
      const seen = new Outcomes();
      for (let k = 0; k < CASES_PER_FORMAT; k++) {
        let bytes = f.make(rng);
        const kinds: string[] = [];
        for (let m = 1 + rng.int(3); m > 0; m--) {
          const kind = rng.int(3) === 0 ? "field" : pick(BYTE_MUTATIONS, rng);
          kinds.push(kind);
          bytes = kind === "field" ? f.fieldEdit(bytes, rng) : mutateBytes(bytes, kind as (typeof BYTE_MUTATIONS)[number], rng);
        }
        const file = join(dir, `case${k}.bin`);
        const label = `${f.name} seed ${seed} case ${k} (${kinds.join("+")})`;
        const whole = oneShot(f, bytes, file);
        seen.add(checkOutcome(whole, f, file, bytes.length, label));
        same(decodeInPieces(f, bytes, file, rng), whole, `${label}, chunked`);
        if (k % 5 === 0) { // through the file reader too (slower: a file per case)
          writeFileSync(file, bytes);
          const read: Outcome = await f.read(file).then((ok) => ({ ok }), (e: unknown) => {
            if (e instanceof EventFileError) return { err: e };
            throw e;
          });
          same(read, whole, `${label}, file read`);
        }
      }
      // both sides of the contract were exercised
      expect(seen.get("EventFileError")).toBeGreaterThan(10);
      expect(seen.get("valid events")).toBeGreaterThan(10);
    });
  }
});
