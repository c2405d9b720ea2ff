/**
 * Base of spikelab's typed input errors: every one names the file (or argument), where in it the problem
 * starts (a byte offset, a line, an event index), what was expected there and what was found, so the
 * message alone is enough to inspect the input (`xxd -s OFFSET FILE`, `sed -n LINEp FILE`).
 */
export class InputError extends Error {
  override readonly name: string = "InputError";
  constructor(
    /** Path of the file, or a label such as `<bytes>` / an argument name for in-memory input. */
    readonly file: string,
    /** Where the problem starts, in words: `byte 1234`, `line 5`, `event 17`. */
    readonly where: string,
    /** What the format requires there. */
    readonly expected: string,
    /** What was actually there. */
    readonly found: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: at ${where}: expected ${expected}, found ${found}`, options);
  }
}
