/**
 * Typed error for malformed event files (events-and-parity §3).
 *
 * Every parser failure names the file, the byte offset where the problem starts, what the format
 * requires there and what was found, so a corrupt 3 GB recording can be inspected with `xxd -s`.
 */
export class EventFileError extends Error {
  override readonly name = "EventFileError";
  constructor(
    /** Path of the file (or a label such as `<bytes>` for in-memory parses). */
    readonly file: string,
    /** Absolute byte offset in the file where the problem starts. */
    readonly offset: number,
    /** What the format requires at that offset. */
    readonly expected: string,
    /** What was actually there. */
    readonly found: string,
  ) {
    super(`${file}: at byte ${offset}: expected ${expected}, found ${found}`);
  }
}
