/**
 * TFRecord framing, the container of TensorBoard event files. Each record is
 *
 *   u64 length (little-endian) · u32 masked_crc32c(length bytes) · data[length] · u32 masked_crc32c(data)
 *
 * with `masked(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8` (mod 2³²) over the CRC-32C (Castagnoli) of the
 * bytes. Both CRCs are verified. A bad length CRC, a length past the end of the file or a truncated record
 * end the reading (the framing can no longer be trusted); a bad data CRC only drops that record, because its
 * verified length still locates the next one. Every problem is a `TfRecordError` naming the file and the byte
 * offset of the record, so the caller can report it and go on with other files.
 */
import { crc32c } from "@aws-crypto/crc32c";

const MASK_DELTA = 0xa282ead8;
/** Bytes of framing around the data: 8 (length) + 4 (length CRC) + 4 (data CRC). */
export const TFRECORD_OVERHEAD = 16;

export type TfRecordProblem = "truncated" | "length-crc" | "length-past-end" | "data-crc";

export class TfRecordError extends Error {
  override readonly name = "TfRecordError";
  constructor(readonly file: string, readonly offset: number, readonly problem: TfRecordProblem, detail: string) {
    super(`${file}: TFRecord at byte ${offset}: ${detail}`);
  }
}

/** The masked CRC-32C TFRecord stores (rotate right by 15, add a constant), as an unsigned 32-bit number. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes) >>> 0;
  return ((((c >>> 15) | (c << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export interface TfRecord {
  /** Byte offset of the record's length field. */
  offset: number;
  data: Uint8Array;
}

export interface TfRecordRead {
  records: TfRecord[];
  /** Problems met; a framing problem is the last entry and stopped the reading. */
  problems: TfRecordError[];
}

/** Split `bytes` into verified records (see the module comment for what stops the reading). */
export function readTfRecords(bytes: Uint8Array, file: string): TfRecordRead {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: TfRecord[] = [];
  const problems: TfRecordError[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 12) {
      problems.push(new TfRecordError(file, at, "truncated", `expected a 12-byte header (length + CRC), found ${bytes.length - at} byte(s) before the end of the file`));
      break;
    }
    const lengthBytes = bytes.subarray(at, at + 8);
    const stored = view.getUint32(at + 8, true);
    const computed = maskedCrc32c(lengthBytes);
    if (stored !== computed) {
      problems.push(new TfRecordError(file, at, "length-crc", `length CRC 0x${stored.toString(16)}, computed 0x${computed.toString(16)} (corrupt or not a TFRecord file)`));
      break;
    }
    const length = Number(view.getBigUint64(at, true));
    const end = at + 12 + length + 4;
    if (end > bytes.length) {
      const kind = at + 12 + length > bytes.length ? "length-past-end" : "truncated";
      problems.push(new TfRecordError(file, at, kind, `length ${length} needs ${end - at} bytes, only ${bytes.length - at} left in the file (truncated record)`));
      break;
    }
    const data = bytes.subarray(at + 12, at + 12 + length);
    const dataStored = view.getUint32(at + 12 + length, true);
    const dataComputed = maskedCrc32c(data);
    if (dataStored !== dataComputed) {
      problems.push(new TfRecordError(file, at, "data-crc", `data CRC 0x${dataStored.toString(16)}, computed 0x${dataComputed.toString(16)}; record of ${length} bytes skipped`));
    } else {
      records.push({ offset: at, data });
    }
    at = end;
  }
  return { records, problems };
}

/** Frame one record (the inverse of {@link readTfRecords}). */
export function encodeTfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + TFRECORD_OVERHEAD);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}
