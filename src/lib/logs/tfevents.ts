/**
 * TensorBoard event files (`events.out.tfevents.*`): TFRecords (./tfrecord.ts) each holding one `Event`
 * protobuf. Only what scalar curves need is declared (field numbers of TensorFlow's `event.proto`,
 * `summary.proto`, `tensor.proto`, `tensor_shape.proto`, `types.proto`); protobufjs skips every other field.
 *
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; … }
 *   Summary { repeated Value value = 1 }
 *   Value   { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; … }
 *   TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
 *                 repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
 *                 repeated int64 int64_val = 10 }
 *
 * A scalar is a `Value` with `simple_value` (tensorboardX, PyTorch's SummaryWriter, TF1) or with a rank-0
 * `tensor` (TF2 `tf.summary.scalar`, the "scalars" plugin): both are read. Values of other kinds (images,
 * histograms) are counted, not read.
 */
import protobuf from "protobufjs";
import type { LogProblem } from "./problem.js";
import { encodeTfRecord, readTfRecords } from "./tfrecord.js";

const { Type, Field, Root } = protobuf;

/** TensorFlow DataType codes used by scalar tensors. */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, INT64: 9 } as const;

const root = new Root().add(
  new Type("Dim").add(new Field("size", 1, "int64")),
).add(
  new Type("TensorShapeProto").add(new Field("dim", 2, "Dim", "repeated")),
).add(
  new Type("TensorProto")
    .add(new Field("dtype", 1, "int32"))
    .add(new Field("tensorShape", 2, "TensorShapeProto"))
    .add(new Field("tensorContent", 4, "bytes"))
    .add(new Field("floatVal", 5, "float", "repeated"))
    .add(new Field("doubleVal", 6, "double", "repeated"))
    .add(new Field("intVal", 7, "int32", "repeated"))
    .add(new Field("int64Val", 10, "int64", "repeated")),
).add(
  new Type("Value")
    .add(new Field("tag", 1, "string"))
    .add(new Field("simpleValue", 2, "float"))
    .add(new Field("tensor", 8, "TensorProto")),
).add(
  new Type("Summary").add(new Field("value", 1, "Value", "repeated")),
).add(
  new Type("Event")
    .add(new Field("wallTime", 1, "double"))
    .add(new Field("step", 2, "int64"))
    .add(new Field("fileVersion", 3, "string"))
    .add(new Field("summary", 5, "Summary")),
);
const EventType = root.lookupType("Event");

interface DecodedTensor { dtype?: number; tensorShape?: { dim?: unknown[] }; tensorContent?: Uint8Array; floatVal?: number[]; doubleVal?: number[]; intVal?: number[]; int64Val?: unknown[] }
interface DecodedValue { tag?: string; simpleValue?: number; tensor?: DecodedTensor }
interface DecodedEvent { wallTime?: number; step?: unknown; fileVersion?: string; summary?: { value?: DecodedValue[] } }

export interface ScalarPoint {
  tag: string;
  step: number;
  wallTime: number;
  value: number;
  /** How the writer stored it. */
  storedAs: "simple_value" | "tensor";
}

export interface EventFileRead {
  file: string;
  fileVersion?: string;
  records: number;
  scalars: ScalarPoint[];
  /** Summary values that are not scalars (images, histograms, non-scalar tensors). */
  otherValues: number;
  problems: LogProblem[];
}

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v && typeof v === "object" && "low" in v && "high" in v) { // protobufjs Long without the long package
    const l = v as { low: number; high: number; unsigned?: boolean };
    return (l.unsigned ? l.high >>> 0 : l.high) * 2 ** 32 + (l.low >>> 0);
  }
  return Number(v ?? 0);
}

/** The value of a rank-0 (or single-element) tensor, or null when it is not a numeric scalar. */
export function tensorScalar(t: DecodedTensor): number | null {
  const dims = t.tensorShape?.dim ?? [];
  if (dims.some((d) => toNumber((d as { size?: unknown }).size) !== 1)) return null;
  const lists = [t.floatVal, t.doubleVal, t.intVal, t.int64Val?.map(toNumber)];
  for (const l of lists) if (l && l.length === 1) return toNumber(l[0]);
  const c = t.tensorContent;
  if (c && c.length) {
    const v = new DataView(c.buffer, c.byteOffset, c.byteLength);
    if (t.dtype === DT.FLOAT && c.length === 4) return v.getFloat32(0, true);
    if (t.dtype === DT.DOUBLE && c.length === 8) return v.getFloat64(0, true);
    if (t.dtype === DT.INT32 && c.length === 4) return v.getInt32(0, true);
    if (t.dtype === DT.INT64 && c.length === 8) return Number(v.getBigInt64(0, true));
  }
  return null;
}

/** Read every scalar of an event file held in memory; problems are collected (see ./problem.ts). */
export function readEventFile(bytes: Uint8Array, file: string): EventFileRead {
  const out: EventFileRead = { file, records: 0, scalars: [], otherValues: 0, problems: [] };
  if (bytes.length === 0) {
    out.problems.push({ file, kind: "empty", message: "the event file is empty (0 bytes)" });
    return out;
  }
  const { records, problems } = readTfRecords(bytes, file);
  for (const p of problems) out.problems.push({ file, byte: p.offset, kind: `tfrecord-${p.problem}`, message: p.message.slice(p.message.indexOf(": ") + 2) });
  out.records = records.length;
  for (const r of records) {
    let ev: DecodedEvent;
    try {
      ev = EventType.toObject(EventType.decode(r.data), { longs: Number, defaults: false }) as DecodedEvent;
    } catch (e) {
      out.problems.push({ file, byte: r.offset, kind: "protobuf", message: `record of ${r.data.length} bytes is not an Event protobuf (${(e as Error).message})` });
      continue;
    }
    if (ev.fileVersion !== undefined) out.fileVersion = ev.fileVersion;
    const step = toNumber(ev.step), wallTime = ev.wallTime ?? 0;
    for (const v of ev.summary?.value ?? []) {
      const tag = v.tag ?? "";
      if (v.simpleValue !== undefined) out.scalars.push({ tag, step, wallTime, value: v.simpleValue, storedAs: "simple_value" });
      else if (v.tensor && tensorScalar(v.tensor) !== null) out.scalars.push({ tag, step, wallTime, value: tensorScalar(v.tensor)!, storedAs: "tensor" });
      else out.otherValues++;
    }
  }
  if (out.records > 0 && out.fileVersion === undefined) {
    out.problems.push({ file, kind: "no-file-version", message: "no file_version event (the first event of every TensorBoard writer); read anyway" });
  }
  return out;
}

/** Scalars of one tag, by step (a later record for the same step wins, as TensorBoard shows it). */
export function scalarSeries(points: readonly ScalarPoint[], tag: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of points) if (p.tag === tag) m.set(p.step, p.value);
  return m;
}

// ---------------------------------------------------------------- writer (tests, smoke fixtures)

export interface ScalarToWrite {
  tag: string;
  value: number;
  /** `simple_value` (default, as tensorboardX) or a rank-0 DT_FLOAT tensor (as TF2). */
  as?: "simple_value" | "tensor";
}

export interface EventToWrite {
  step: number;
  wallTime: number;
  scalars: ScalarToWrite[];
}

/** One Event protobuf (not framed). */
export function encodeEvent(e: { wallTime: number; step?: number; fileVersion?: string; scalars?: ScalarToWrite[] }): Uint8Array {
  const msg: Record<string, unknown> = { wallTime: e.wallTime };
  if (e.step) msg.step = e.step;
  if (e.fileVersion !== undefined) msg.fileVersion = e.fileVersion;
  if (e.scalars) {
    msg.summary = {
      value: e.scalars.map((s) => (s.as === "tensor"
        ? { tag: s.tag, tensor: { dtype: DT.FLOAT, tensorShape: {}, floatVal: [s.value] } }
        : { tag: s.tag, simpleValue: s.value })),
    };
  }
  return EventType.encode(EventType.fromObject(msg)).finish();
}

/** A complete event file: the `brain.Event:2` version record, then one framed Event per entry. */
export function encodeEventFile(events: readonly EventToWrite[], startWallTime = events[0]?.wallTime ?? 0): Uint8Array {
  const parts = [encodeTfRecord(encodeEvent({ wallTime: startWallTime, fileVersion: "brain.Event:2" })), ...events.map((e) => encodeTfRecord(encodeEvent(e)))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
