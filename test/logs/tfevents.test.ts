// Event files written by the project's writer: scalars as simple_value and as tensors (float_val, and
// tensor_content of each dtype), garbage protobuf inside valid framing, an empty file.
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { DT, encodeEvent, encodeEventFile, readEventFile, scalarSeries, tensorScalar } from "../../src/lib/logs/tfevents.js";
import { encodeTfRecord } from "../../src/lib/logs/tfrecord.js";

describe("event files", () => {
  it("round trip: version record, scalars from simple_value and from tensor, per-tag series", () => {
    const bytes = encodeEventFile([
      { step: 0, wallTime: 100, scalars: [{ tag: "test_acc", value: 50 }] },
      { step: 1, wallTime: 101, scalars: [{ tag: "test_acc", value: 62.5, as: "tensor" }, { tag: "train_loss", value: 3.25 }] },
      { step: 2 ** 33, wallTime: 102, scalars: [{ tag: "test_acc", value: 75 }] },
    ]);
    const r = readEventFile(bytes, "e");
    expect(r.problems).toEqual([]);
    expect(r.fileVersion).toBe("brain.Event:2");
    expect(r.records).toBe(4);
    expect(r.scalars.map((s) => [s.tag, s.step, s.value, s.storedAs])).toEqual([
      ["test_acc", 0, 50, "simple_value"], ["test_acc", 1, 62.5, "tensor"], ["train_loss", 1, 3.25, "simple_value"], ["test_acc", 2 ** 33, 75, "simple_value"],
    ]);
    expect([...scalarSeries(r.scalars, "test_acc").entries()]).toEqual([[0, 50], [1, 62.5], [2 ** 33, 75]]);
  });
  it("tensor scalars stored as tensor_content of float, double, int32 and int64; non-scalar tensors are not scalars", () => {
    const buf = (n: number, f: (v: DataView) => void) => { const b = new Uint8Array(n); f(new DataView(b.buffer)); return b; };
    expect(tensorScalar({ dtype: DT.FLOAT, tensorContent: buf(4, (v) => v.setFloat32(0, 1.5, true)) })).toBe(1.5);
    expect(tensorScalar({ dtype: DT.DOUBLE, tensorContent: buf(8, (v) => v.setFloat64(0, 0.1, true)) })).toBe(0.1);
    expect(tensorScalar({ dtype: DT.INT32, tensorContent: buf(4, (v) => v.setInt32(0, -7, true)) })).toBe(-7);
    expect(tensorScalar({ dtype: DT.INT64, tensorContent: buf(8, (v) => v.setBigInt64(0, 9n, true)) })).toBe(9);
    expect(tensorScalar({ dtype: DT.FLOAT, tensorShape: { dim: [{ size: 3 }] }, floatVal: [1, 2, 3] })).toBeNull();
    expect(tensorScalar({ dtype: DT.DOUBLE, doubleVal: [2.5] })).toBe(2.5);
  });
  it("a histogram-like value is counted as 'other', not read as a scalar", () => {
    // Value { tag = "h", histo (field 5) = {} } encoded by hand with protobufjs' writer
    const w = protobuf.Writer.create();
    w.uint32((5 << 3) | 2).fork(); // summary
    w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string("h").uint32((5 << 3) | 2).bytes(new Uint8Array([8, 1])).ldelim();
    w.ldelim();
    const r = readEventFile(encodeTfRecord(w.finish()), "h");
    expect(r.scalars).toEqual([]);
    expect(r.otherValues).toBe(1);
    expect(r.problems.map((p) => p.kind)).toEqual(["no-file-version"]);
  });
  it("garbage protobuf inside valid framing is a 'protobuf' problem at its byte offset; the other records are read", () => {
    const good = encodeEventFile([{ step: 3, wallTime: 1, scalars: [{ tag: "a", value: 1 }] }]);
    const garbage = encodeTfRecord(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const tail = encodeTfRecord(encodeEvent({ wallTime: 2, step: 4, scalars: [{ tag: "a", value: 2 }] }));
    const bytes = new Uint8Array([...good, ...garbage, ...tail]);
    const r = readEventFile(bytes, "g.tfevents");
    expect(r.scalars.map((s) => s.step)).toEqual([3, 4]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: "g.tfevents", byte: good.length, kind: "protobuf" });
  });
  it("an empty file and a bad CRC are problems naming the file (and the byte)", () => {
    expect(readEventFile(new Uint8Array(0), "z").problems).toEqual([{ file: "z", kind: "empty", message: "the event file is empty (0 bytes)" }]);
    const b = encodeEventFile([{ step: 0, wallTime: 1, scalars: [{ tag: "a", value: 1 }] }]);
    b[b.length - 1] ^= 1;
    const r = readEventFile(b, "c");
    expect(r.scalars).toEqual([]);
    const versionRecord = encodeTfRecord(encodeEvent({ wallTime: 1, fileVersion: "brain.Event:2" })).length;
    expect(r.fileVersion).toBe("brain.Event:2");
    expect(r.problems[0]).toMatchObject({ file: "c", kind: "tfrecord-data-crc", byte: versionRecord });
  });
});
