/**
 * Typed errors of the data pipeline (events-and-parity §3), all {@link InputError}s: the message names
 * the file, where the problem starts, what was expected there and what was found.
 */
import { InputError } from "../util/errors.js";

export { InputError };

/**
 * A malformed event file: names the byte offset where the problem starts, so a corrupt 3 GB recording
 * can be inspected with `xxd -s`.
 */
export class EventFileError extends InputError {
  override readonly name = "EventFileError";
  constructor(
    file: string,
    /** Absolute byte offset in the file where the problem starts. */
    readonly offset: number,
    expected: string,
    found: string,
    options?: { cause?: unknown },
  ) {
    super(file, `byte ${offset}`, expected, found, options);
  }
}

/**
 * Events that decoded but cannot be used as asked (out of time order, a time span too long for the
 * frames asked for, no event in a labelled sample): names the source (file and window) and the event index.
 */
export class EventDataError extends InputError {
  override readonly name = "EventDataError";
  constructor(
    /** The file (and time window) the events came from, or `<events>` when unknown. */
    source: string,
    /** Index of the offending event in the array given (-1: the sample as a whole). */
    readonly index: number,
    expected: string,
    found: string,
  ) {
    super(source, index < 0 ? "the whole sample" : `event ${index}`, expected, found);
  }
}

/** A malformed text file read line by line (labels CSV, split lists): names the 1-based line. */
export class TextFileError extends InputError {
  override readonly name = "TextFileError";
  constructor(file: string, /** 1-based line number. */ readonly line: number, expected: string, found: string) {
    super(file, `line ${line}`, expected, found);
  }
}

/** A cache file that is corrupt or disagrees with its manifest; delete the cache folder to rebuild it. */
export class CacheFileError extends InputError {
  override readonly name = "CacheFileError";
  constructor(file: string, where: string, expected: string, found: string, options?: { cause?: unknown }) {
    super(file, where, expected, `${found} (delete the cache folder to rebuild it)`, options);
  }
}
