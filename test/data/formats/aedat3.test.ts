// AEDAT 3.1 parser/writer — events-and-parity §3.1 fixture recipe, §7 item 8.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import {
  AEDAT3_MAX_OVERFLOW, parseAedat3, readAedat3File, streamAedat3File, writeAedat3, writeAedat3File,
} from "../../../src/lib/data/formats/aedat3.js";
import { ascii, firstDiff, packetHeader, polarityEvent, tmp } from "../helpers.js";

const HEADER = ascii("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n");

function recipe(): Uint8Array {
  return new Uint8Array([
    ...HEADER,
    // 2. polarity packet, 2 events
    ...packetHeader({ type: 1, capacity: 2 }), ...polarityEvent(3, 4, 1, 100), ...polarityEvent(127, 0, 0, 200),
    // 3. a type-0 (special) packet with 8-byte events: must be skipped
    ...packetHeader({ type: 0, capacity: 1 }), ...polarityEvent(9, 9, 1, 999),
    // 4. overflow = 1: t = 2^31 + 5
    ...packetHeader({ type: 1, overflow: 1, capacity: 1 }), ...polarityEvent(10, 20, 1, 5),
  ]);
}

describe("AEDAT 3.1 (§3.1)", () => {
  it("SJ's minimal fixture: header '#!END-HEADER' only, valid bit 0, tsOffset 0", () => {
    const b = new Uint8Array([
      ...ascii("#!END-HEADER\r\n"),
      ...packetHeader({ type: 1, source: 0, size: 8, tsOffset: 0, capacity: 1, number: 1, valid: 1 }),
      ...polarityEvent(5, 6, 1, 17, 0),
    ]);
    const ev = parseAedat3(b);
    expect([...ev.x]).toEqual([5]);
    expect([...ev.y]).toEqual([6]);
    expect([...ev.p]).toEqual([1]);
    expect([...ev.t]).toEqual([17]);
  });

  it("recipe: skips non-polarity packets, applies the timestamp overflow", () => {
    const ev = parseAedat3(recipe());
    expect([...ev.x]).toEqual([3, 127, 10]);
    expect([...ev.y]).toEqual([4, 0, 20]);
    expect([...ev.p]).toEqual([1, 0, 1]);
    expect([...ev.t]).toEqual([100, 200, 2 ** 31 + 5]);
  });

  it("ts32 | overflow<<31 is an OR (bit 31 shared), like libcaer/SJ", () => {
    const b = new Uint8Array([...HEADER, ...packetHeader({ type: 1, overflow: 3, capacity: 1 }), ...polarityEvent(1, 1, 0, 2 ** 31 + 7)]);
    // 3<<31 = 2^32 + 2^31; OR with 2^31 + 7 → 2^32 + 2^31 + 7
    expect(parseAedat3(b).t[0]).toBe(2 ** 32 + 2 ** 31 + 7);
  });

  it("streaming in tiny chunks gives the same events as the one-shot parse", async () => {
    const dir = tmp();
    const f = join(dir, "a.aedat");
    writeFileSync(f, recipe());
    const whole = parseAedat3(recipe());
    const streamed = await readAedat3File(f, {}, 64);
    expect([...streamed.t]).toEqual([...whole.t]);
    expect([...streamed.x]).toEqual([...whole.x]);
    let batches = 0;
    for await (const _ of streamAedat3File(f, {}, 64)) batches++;
    expect(batches).toBeGreaterThan(1);
  });

  it("round-trips writer → parser across overflow boundaries and packet splits", () => {
    const n = 5000;
    const ev = makeEvents({
      t: Array.from({ length: n }, (_, i) => 2 ** 31 - 2500 + i),
      x: Array.from({ length: n }, (_, i) => i % 128),
      y: Array.from({ length: n }, (_, i) => (i * 7) % 128),
      p: Array.from({ length: n }, (_, i) => i % 2),
    });
    const back = parseAedat3(writeAedat3(ev, { packetEvents: 1000 }));
    expect(back.t.length).toBe(n);
    expect(back.t[n - 1]).toBe(2 ** 31 + 2499);
    expect(firstDiff(back, ev)).toBe(-1);
  });

  describe("bad input → EventFileError naming file and byte offset", () => {
    const catchErr = (b: Uint8Array, opts = {}) => {
      try { parseAedat3(b, { file: "x.aedat", ...opts }); } catch (e) { return e as EventFileError; }
      throw new Error("expected a throw");
    };
    it("truncated payload", () => {
      const b = recipe();
      const e = catchErr(b.subarray(0, b.length - 3), { totalBytes: undefined });
      expect(e).toBeInstanceOf(EventFileError);
      expect(e.file).toBe("x.aedat");
      expect(e.offset).toBe(b.length - 8 - 28); // start of the last packet header
      expect(e.message).toMatch(/x\.aedat: at byte \d+: expected .*truncated/);
    });
    it("packet that does not fit in the file (known size)", () => {
      const b = recipe();
      const e = catchErr(b.subarray(0, b.length - 3));
      expect(e.offset).toBe(b.length - 8 - 28);
      expect(e.expected).toMatch(/fits in the file/);
    });
    it("truncated packet header", () => {
      const b = new Uint8Array([...HEADER, ...packetHeader({ type: 1, capacity: 0 }).slice(0, 10)]);
      const e = catchErr(b);
      expect(e.offset).toBe(HEADER.length);
      expect(e.expected).toMatch(/28-byte packet header/);
    });
    it("bad header: wrong version line", () => {
      const e = catchErr(new Uint8Array(ascii("#!AER-DAT2.0\r\n#!END-HEADER\r\n")));
      expect(e.offset).toBe(0);
      expect(e.found).toContain("#!AER-DAT2.0");
    });
    it("bad header: a line that does not start with '#'", () => {
      const e = catchErr(new Uint8Array([...ascii("#!AER-DAT3.1\r\n"), ...ascii("Format RAW\r\n")]));
      expect(e.offset).toBe(14);
    });
    it("bad header: no end-of-header line", () => {
      const e = catchErr(new Uint8Array(ascii("#!AER-DAT3.1\r\n#Format: RAW\r\n")));
      expect(e.expected).toMatch(/END-HEADER/);
    });
    it("polarity packet with eventSize ≠ 8", () => {
      const e = catchErr(new Uint8Array([...HEADER, ...packetHeader({ type: 1, size: 12, capacity: 0 })]));
      expect(e.offset).toBe(HEADER.length + 4);
    });
    it("eventNumber > eventCapacity", () => {
      const e = catchErr(new Uint8Array([...HEADER, ...packetHeader({ type: 1, capacity: 1, number: 2 }), ...polarityEvent(0, 0, 0, 0)]));
      expect(e.offset).toBe(HEADER.length + 16);
    });
    it("coordinates outside the 128×128 sensor", () => {
      const b = new Uint8Array([...HEADER, ...packetHeader({ type: 1, capacity: 2 }), ...polarityEvent(1, 1, 0, 0), ...polarityEvent(128, 3, 0, 1)]);
      const e = catchErr(b);
      expect(e.offset).toBe(HEADER.length + 28 + 8);
      expect(e.found).toBe("x=128, y=3");
      expect(parseAedat3(b, { sensor: null }).x[1]).toBe(128);
    });
  });
  describe("timestamps beyond 2^53 (issue #20)", () => {
    const ev = makeEvents({ t: [5, 9], x: [1, 2], y: [3, 4], p: [1, 0] });
    /** Offset of the first packet header of a file from writeAedat3 (the text header ends with '#!END-HEADER\r\n'). */
    const firstPacket = (b: Uint8Array) => Buffer.from(b).indexOf("#!END-HEADER\r\n") + "#!END-HEADER\r\n".length;
    it("eventTSOverflow 0xFFFFFFFF is rejected at the overflow field, read from a file", async () => {
      const b = writeAedat3(ev);
      const at = firstPacket(b);
      new DataView(b.buffer).setUint32(at + 12, 0xffffffff, true);
      const path = join(tmp(), "overflow.aedat");
      writeFileSync(path, b);
      const e = await readAedat3File(path).then(() => null, (x: unknown) => x as EventFileError);
      expect(e).toBeInstanceOf(EventFileError);
      expect(e!.file).toBe(path);
      expect(e!.offset).toBe(at + 12);
      expect(e!.found).toBe(String(0xffffffff));
      expect(e!.expected).toMatch(/2\^53/);
    });
    it("the largest overflow that keeps times exact still decodes exactly; one more is rejected", async () => {
      const high = AEDAT3_MAX_OVERFLOW * 2 ** 31;
      const top = makeEvents({ t: [high + 5, high + 2 ** 31 - 1], x: [1, 2], y: [3, 4], p: [1, 0] });
      const path = join(tmp(), "top.aedat");
      await writeAedat3File(path, top);
      const back = await readAedat3File(path);
      expect([...back.t]).toEqual([high + 5, 2 ** 53 - 1]);
      expect(back.t.every((t) => Number.isSafeInteger(t))).toBe(true);
      const b = writeAedat3(ev);
      new DataView(b.buffer).setUint32(firstPacket(b) + 12, AEDAT3_MAX_OVERFLOW + 1, true);
      expect(() => parseAedat3(b, { file: "x.aedat" })).toThrow(/x\.aedat: at byte \d+: expected eventTSOverflow ≤ 4194303/);
    });
    it("a non-polarity packet with a huge overflow is skipped as before (its events are never read)", () => {
      const b = new Uint8Array([...HEADER, ...packetHeader({ type: 2, overflow: 0xffffffff, capacity: 1 }), ...polarityEvent(0, 0, 0, 0),
        ...packetHeader({ type: 1, capacity: 1 }), ...polarityEvent(3, 4, 1, 100)]);
      expect([...parseAedat3(b).t]).toEqual([100]);
    });
  });
});
