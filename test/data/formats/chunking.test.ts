// The fast paths of the three decoders (issue #5): whole-file presizing, the file reader's tail
// placement and 4-byte alignment, the AEDAT 3.1 aligned / copied / DataView word paths. Every result is
// compared with a one-shot parse and with straightforward reference decoders written from the
// events-and-parity §3 formulas (DataView and BigInt, no shortcuts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { concatEvents, type Events } from "../../../src/lib/data/events.js";
import { Aedat2Decoder, parseAedat2, readAedat2File, streamAedat2File, type Aedat2Orientation } from "../../../src/lib/data/formats/aedat2.js";
import { Aedat3Decoder, parseAedat3, readAedat3File, streamAedat3File } from "../../../src/lib/data/formats/aedat3.js";
import { AtisDecoder, parseAtis, readAtisFile, streamAtisFile } from "../../../src/lib/data/formats/atis.js";
import { EventColumns, readFileEvents, streamFile, type EventDecoder } from "../../../src/lib/data/formats/stream.js";
import { ascii, firstDiff, packetHeader, polarityEvent, tmp, u32be } from "../helpers.js";

/** xorshift32, so the fixtures are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function cols(rows: { t: number; x: number; y: number; p: number }[]): Events {
  return {
    t: Float64Array.from(rows, (r) => r.t), x: Uint16Array.from(rows, (r) => r.x),
    y: Uint16Array.from(rows, (r) => r.y), p: Uint8Array.from(rows, (r) => r.p),
  };
}

function same(a: Events, b: Events): void {
  expect(a.t.length).toBe(b.t.length);
  expect(firstDiff(a, b)).toBe(-1);
}

/** Feed `bytes` to a fresh decoder in pieces cut at `cuts`, then end. */
function pieces(make: () => EventDecoder, bytes: Uint8Array, cuts: number[]): Events {
  const dec = make();
  const parts: Events[] = [];
  let a = 0;
  for (const c of [...cuts, bytes.length]) { parts.push(dec.push(bytes.subarray(a, c))); a = c; }
  parts.push(dec.end());
  return concatEvents(parts);
}

/** Every single cut, then every fixed piece size: a record or header split at every possible offset. */
function checkAllSplits(make: () => EventDecoder, bytes: Uint8Array, want: Events): void {
  for (let k = 0; k <= bytes.length; k++) same(pieces(make, bytes, [k]), want);
  for (let size = 1; size <= 40; size++) {
    const cuts: number[] = [];
    for (let c = size; c < bytes.length; c += size) cuts.push(c);
    same(pieces(make, bytes, cuts), want);
  }
}

/** A copy of `bytes` starting at byte offset `shift` of its ArrayBuffer (to pick the alignment). */
function shifted(bytes: Uint8Array, shift: number): Uint8Array {
  const b = new Uint8Array(bytes.length + shift);
  b.set(bytes, shift);
  return b.subarray(shift);
}

// ---------------------------------------------------------------- AEDAT 3.1
interface Packet { type: number; size?: number; overflow?: number; events?: { x: number; y: number; p: number; ts: number }[]; payload?: number[] }

function aedat3File(packets: Packet[], headerLines: string[] = []): Uint8Array {
  const parts: ArrayLike<number>[] = [ascii(["#!AER-DAT3.1", "#Format: RAW", ...headerLines, "#!END-HEADER"].map((l) => `${l}\r\n`).join(""))];
  for (const pk of packets) {
    if (pk.type === 1) {
      const ev = pk.events ?? [];
      parts.push(packetHeader({ type: 1, overflow: pk.overflow ?? 0, capacity: ev.length }));
      for (const e of ev) parts.push(polarityEvent(e.x, e.y, e.p, e.ts));
    } else {
      const size = pk.size ?? 8;
      const payload = pk.payload ?? [];
      parts.push(packetHeader({ type: pk.type, size, capacity: payload.length / size }), payload);
    }
  }
  const out = new Uint8Array(parts.reduce((n, q) => n + q.length, 0));
  let o = 0;
  for (const q of parts) { out.set(q, o); o += q.length; }
  return out;
}

/** SJ's decoding, spelled out: skip type ≠ 1, ts64 = ts32 | overflow << 31 (BigInt). */
function refAedat3(packets: Packet[]): Events {
  const rows: { t: number; x: number; y: number; p: number }[] = [];
  for (const pk of packets) {
    if (pk.type !== 1) continue;
    for (const e of pk.events ?? []) {
      const t = Number(BigInt(e.ts >>> 0) | (BigInt(pk.overflow ?? 0) << 31n));
      rows.push({ t, x: e.x, y: e.y, p: e.p });
    }
  }
  return cols(rows);
}

function randomPackets(seed: number, count: number, maxEvents: number, xy = 128): Packet[] {
  const r = rng(seed);
  const packets: Packet[] = [];
  for (let k = 0; k < count; k++) {
    const kind = r() % 5;
    if (kind === 0) {
      // a non-polarity packet whose payload is not a multiple of 4: shifts the alignment of what follows
      const size = 1 + (r() % 13), cap = r() % 4;
      packets.push({ type: r() % 2 === 0 ? 0 : 2 + (r() % 5), size, payload: Array.from({ length: size * cap }, () => r() & 0xff) });
    } else {
      const n = r() % (maxEvents + 1);
      // overflow: 0, odd, even, or large (up to 2^21, keeping ts64 below 2^53)
      const overflow = [0, 1, 2, 3, r() % (1 << 21)][r() % 5]!;
      packets.push({
        type: 1, overflow,
        events: Array.from({ length: n }, () => ({ x: r() % xy, y: r() % xy, p: r() & 1, ts: r() })),
      });
    }
  }
  return packets;
}

describe("AEDAT 3.1 fast paths", () => {
  const packets = randomPackets(7, 12, 5);
  const bytes = aedat3File(packets);
  const want = refAedat3(packets);

  it("matches the reference decoder (odd and large overflows, skipped packets of any size)", () => {
    expect(want.t.length).toBeGreaterThan(10);
    same(parseAedat3(bytes), want);
    for (let s = 0; s < 4; s++) same(parseAedat3(shifted(bytes, s)), want); // aligned and copied word paths
  });

  it("a record, packet header or header line split at every possible offset decodes identically", () => {
    checkAllSplits(() => new Aedat3Decoder(), bytes, want);
  });

  it("the file reader gives the same events for every read size (tail placement and alignment)", async () => {
    const f = join(tmp(), "a.aedat");
    writeFileSync(f, bytes);
    for (let chunk = 64; chunk <= bytes.length + 64; chunk += 7) {
      same(await readAedat3File(f, {}, chunk), want);
      const parts: Events[] = [];
      for await (const ev of streamAedat3File(f, {}, chunk)) parts.push(ev);
      same(concatEvents(parts), want);
    }
  });

  it("packets of more than one copy block (8192 events), aligned or not, and through the file reader", async () => {
    const big: Packet[] = [
      { type: 0, size: 3, payload: [1, 2, 3] },
      ...randomPackets(11, 3, 20000, 128).filter((p) => p.type === 1),
      { type: 0, size: 5, payload: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
      ...randomPackets(12, 3, 20000, 128).filter((p) => p.type === 1),
    ];
    const b = aedat3File(big, ["#Source 1: DVS128"]);
    const ref = refAedat3(big);
    expect(ref.t.length).toBeGreaterThan(20000);
    for (let s = 0; s < 4; s++) same(parseAedat3(shifted(b, s)), ref);
    const f = join(tmp(), "big.aedat");
    writeFileSync(f, b);
    for (const chunk of [64, 1000, 4093, 65536, 1 << 20]) same(await readAedat3File(f, {}, chunk), ref);
  });

  it("the big-endian-host path (DataView reads) decodes identically", () => {
    const dec = new Aedat3Decoder();
    (dec as unknown as { littleEndianHost: boolean }).littleEndianHost = false;
    same(concatEvents([dec.push(bytes), dec.end()]), want);
  });

  it("an event outside the sensor is reported at its own byte offset on every word path", () => {
    const evs = Array.from({ length: 9000 }, (_, i) => ({ x: i % 128, y: (i * 3) % 128, p: i & 1, ts: i }));
    evs[8500] = { x: 5, y: 130, p: 0, ts: 1 };
    const b = aedat3File([{ type: 0, size: 1, payload: [9] }, { type: 1, events: evs }]);
    const at = b.length - 8 * (9000 - 8500);
    const offsets: number[] = [];
    for (let s = 0; s < 4; s++) {
      try { parseAedat3(shifted(b, s), { file: "s.aedat" }); } catch (e) {
        expect(e).toBeInstanceOf(EventFileError);
        expect((e as EventFileError).found).toBe("x=5, y=130");
        offsets.push((e as EventFileError).offset);
      }
    }
    const be = new Aedat3Decoder({ file: "s.aedat" });
    (be as unknown as { littleEndianHost: boolean }).littleEndianHost = false;
    try { be.push(b); } catch (e) { offsets.push((e as EventFileError).offset); }
    expect(offsets).toEqual([at, at, at, at, at]);
  });

  it("a header line longer than the room kept in front of each read still streams", async () => {
    const b = aedat3File(packets, [`#Comment ${"x".repeat(9000)}`, "#Source 1: DVS128"]);
    const f = join(tmp(), "long.aedat");
    writeFileSync(f, b);
    for (const chunk of [64, 1000, 5000, 1 << 20]) same(await readAedat3File(f, {}, chunk), want);
  });

  it("whole-file read of a file with a truncated last packet → the fit error at that packet", async () => {
    const b = aedat3File([...packets, { type: 1, events: [{ x: 1, y: 2, p: 1, ts: 3 }, { x: 4, y: 5, p: 0, ts: 6 }] }]);
    const cut = b.subarray(0, b.length - 3);
    const f = join(tmp(), "t.aedat");
    writeFileSync(f, cut);
    for (const chunk of [64, 1 << 20]) {
      const err = await readAedat3File(f, {}, chunk).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(EventFileError);
      expect((err as EventFileError).file).toBe(f);
      expect((err as EventFileError).offset).toBe(b.length - 16 - 28); // the last packet's header
      expect((err as EventFileError).expected).toMatch(/fits in the file/);
    }
  });

  it("a whole-file result dominated by skipped packets is compacted, not a view of a mostly empty buffer", async () => {
    const b = aedat3File([
      { type: 2, size: 1000, payload: new Array(1000 * 1000).fill(7) },
      { type: 1, events: [{ x: 1, y: 2, p: 1, ts: 3 }, { x: 4, y: 5, p: 0, ts: 6 }] },
    ]);
    const f = join(tmp(), "frames.aedat");
    writeFileSync(f, b);
    const ev = await readAedat3File(f);
    expect([...ev.t]).toEqual([3, 6]);
    expect(ev.t.buffer.byteLength).toBe(16);
  });
});

// ---------------------------------------------------------------- AEDAT 2.0
/** SJ's CIFAR10-DVS decoding of big-endian (address, timestamp) pairs, via DataView. */
function refAedat2(data: Uint8Array, mode: Aedat2Orientation): Events {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rows = [];
  for (let o = 0; o + 8 <= data.length; o += 8) {
    const a = dv.getUint32(o, false);
    const xr = (a & 0xfe) >> 1, yr = (a & 0x7f00) >> 8, pr = a & 1;
    const t = dv.getUint32(o + 4, false);
    if (mode === "spikingjelly") rows.push({ t, x: 127 - yr, y: 127 - xr, p: 1 - pr });
    else if (mode === "raw") rows.push({ t, x: xr, y: yr, p: pr });
    else rows.push({ t, x: 127 - xr, y: yr, p: 1 - pr });
  }
  return cols(rows);
}

describe("AEDAT 2.0 fast paths", () => {
  const r = rng(3);
  const header = ascii("#!AER-DAT2.0\r\n# This is a raw AE data file\r\n#\r\n");
  // every address bit random (the external bit and the bits above 15 must be ignored), t over all 32 bits
  const data = new Uint8Array(Array.from({ length: 37 }, () => [...u32be(r() & 0x7fff), ...u32be(r())]).flat());
  const bytes = new Uint8Array([...header, ...data]);

  for (const mode of ["spikingjelly", "raw", "events-tfds"] as const) {
    it(`${mode}: reference decoder, every split offset, every read size`, async () => {
      const want = refAedat2(data, mode);
      same(parseAedat2(bytes, { orientation: mode }), want);
      checkAllSplits(() => new Aedat2Decoder({ orientation: mode }), bytes, want);
      const f = join(tmp(), `${mode}.aedat`);
      writeFileSync(f, bytes);
      for (let chunk = 64; chunk <= bytes.length + 64; chunk += 5) same(await readAedat2File(f, { orientation: mode }, chunk), want);
    });
  }

  it("a header line longer than the room kept in front of each read", async () => {
    const b = new Uint8Array([...ascii(`#!AER-DAT2.0\r\n# ${"y".repeat(10000)}\r\n`), ...data]);
    const f = join(tmp(), "long2.aedat");
    writeFileSync(f, b);
    for (const chunk of [64, 999, 8192, 1 << 20]) same(await readAedat2File(f, {}, chunk), refAedat2(data, "spikingjelly"));
  });

  it("whole-file read with a trailing partial record → the truncation error at that record", async () => {
    const f = join(tmp(), "t2.aedat");
    writeFileSync(f, bytes.subarray(0, bytes.length - 5));
    for (const chunk of [64, 100, 1 << 20]) {
      const err = await readAedat2File(f, {}, chunk).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(EventFileError);
      expect((err as EventFileError).offset).toBe(header.length + 36 * 8);
      expect((err as EventFileError).found).toBe("3 trailing bytes");
    }
  });

  it("a file of only a header line without newline has no events (streamed too)", async () => {
    const f = join(tmp(), "h.aedat");
    writeFileSync(f, new Uint8Array(ascii("#!AER-DAT2.0\r\n# no newline")));
    expect((await readAedat2File(f, {}, 64)).t.length).toBe(0);
    let n = 0;
    for await (const ev of streamAedat2File(f, {}, 64)) n += ev.t.length;
    expect(n).toBe(0);
  });
});

// ---------------------------------------------------------------- ATIS
function refAtis(bytes: Uint8Array, tonic: boolean): Events {
  const rows = [];
  let off = 0;
  for (let o = 0; o + 5 <= bytes.length; o += 5) {
    const [b0, b1, b2, b3, b4] = [bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!, bytes[o + 4]!];
    if (tonic && b1 === 240) { off += 2 ** 13; continue; }
    rows.push({ x: b0, y: b1, p: (b2 & 0x80) >> 7, t: (((b2 & 0x7f) << 16) | (b3 << 8) | b4) + off });
  }
  return cols(rows);
}

describe("ATIS fast paths", () => {
  const r = rng(5);
  // random records, y drawn so that about one in eight is an overflow marker (y = 240)
  const bytes = new Uint8Array(Array.from({ length: 53 }, () => [r() & 0xff, r() % 8 === 0 ? 240 : r() % 256, r() & 0xff, r() & 0xff, r() & 0xff]).flat());

  for (const tonic of [false, true]) {
    it(`overflow ${tonic ? "tonic" : "none"}: reference decoder, every split offset, every read size`, async () => {
      const want = refAtis(bytes, tonic);
      const opts = { overflow: tonic ? "tonic" as const : "none" as const, sensor: null };
      same(parseAtis(bytes, opts), want);
      checkAllSplits(() => new AtisDecoder(opts), bytes, want);
      const f = join(tmp(), `r${tonic}.bin`);
      writeFileSync(f, bytes);
      for (let chunk = 64; chunk <= bytes.length + 64; chunk += 3) {
        same(await readAtisFile(f, opts, chunk), want);
        const parts: Events[] = [];
        for await (const ev of streamAtisFile(f, opts, chunk)) parts.push(ev);
        same(concatEvents(parts), want);
      }
    });
  }

  it("an event outside the sensor is reported at its record, in both overflow modes", () => {
    const recs = [[1, 2, 0, 0, 1], [3, 240, 0, 0, 0], [250, 4, 0, 0, 2]].flat();
    for (const overflow of ["none", "tonic"] as const) {
      try { parseAtis(new Uint8Array(recs), { overflow, file: "o.bin", sensor: { width: 240, height: 250 } }); throw new Error("no throw"); } catch (e) {
        expect(e).toBeInstanceOf(EventFileError);
        expect((e as EventFileError).offset).toBe(10);
        expect((e as EventFileError).expected).toContain("240×250");
      }
    }
  });

  it("whole-file read with a trailing partial record → the truncation error", async () => {
    const f = join(tmp(), "t.bin");
    writeFileSync(f, bytes.subarray(0, 5 * 20 + 4));
    for (const chunk of [64, 1 << 20]) {
      const err = await readAtisFile(f, { sensor: null }, chunk).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(EventFileError);
      expect((err as EventFileError).offset).toBe(100);
      expect((err as EventFileError).found).toBe("4 trailing bytes");
    }
  });
});

// ---------------------------------------------------------------- shared plumbing
describe("stream plumbing of the fast paths", () => {
  it("EventColumns: sized once, grows by copying when the hint was short, hands over what it took", () => {
    const c = new EventColumns();
    c.ensure(3);
    expect(c.t.length).toBe(3);
    for (let i = 0; i < 3; i++) { c.t[c.n] = i; c.x[c.n] = i; c.n++; }
    c.ensure(2);
    expect(c.t.length).toBe(6); // doubled, the three events kept
    c.t[c.n] = 3; c.n++;
    const a = c.take();
    expect([...a.t]).toEqual([0, 1, 2, 3]);
    expect([...a.x]).toEqual([0, 1, 2, 0]);
    expect(c.n).toBe(0);
    c.ensure(1); c.t[0] = 9; c.n = 1;
    expect(a.t[0]).toBe(0); // the taken events are not overwritten
    expect(c.take().t.length).toBe(1);
    expect(c.take().t.length).toBe(0);
  });

  it("whole-file mode falls back to per-chunk sizing when the file-size bound cannot be allocated", () => {
    const dec = new AtisDecoder({ totalBytes: 2 ** 52 }); // a bound of ~2^50 events: RangeError on allocation
    dec.collectAll();
    const a = dec.push(new Uint8Array([1, 2, 0, 0, 7, 3, 4]));
    const b = dec.push(new Uint8Array([0x80, 1, 0]));
    dec.end();
    expect([...a.t, ...b.t]).toEqual([7, 256]);
    expect([...a.x, ...b.x]).toEqual([1, 3]);
    expect([...b.p]).toEqual([1]);
  });

  it("a consumer that stops early closes the file without errors", async () => {
    const f = join(tmp(), "early.bin");
    writeFileSync(f, new Uint8Array(5 * 1000));
    for await (const ev of streamAtisFile(f, {}, 64)) { expect(ev.t.length).toBeGreaterThan(0); break; }
    // a decode error in the middle of the file: rejected with the decoder's error, file closed
    const bad = new Uint8Array(5 * 1000);
    bad[5 * 900 + 1] = 200;
    writeFileSync(f, bad);
    await expect(readAtisFile(f, {}, 64)).rejects.toThrow(/at byte 4500: expected an event inside/);
  });

  it("decoders other than the built-in ones still go through plain push()/end()", async () => {
    const f = join(tmp(), "plain.bin");
    writeFileSync(f, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const seen: number[] = [];
    const make = (): EventDecoder => ({
      push(chunk) { seen.push(chunk.length); return cols([...chunk].map((v) => ({ t: v, x: 0, y: 0, p: 0 }))); },
      end() { return cols([]); },
    });
    const ev = await readFileEvents(f, make, 64);
    expect([...ev.t]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const parts: number[] = [];
    for await (const e of streamFile(f, make, 64)) parts.push(e.t.length);
    expect(parts).toEqual([10]);
  });
});
