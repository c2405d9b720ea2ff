/**
 * What could not be read from a training log or event file: named by file and byte offset (binary) or line
 * (text), so a reader of the audit can open the exact spot. Readers collect these instead of throwing, so one
 * corrupt file never stops the audit of the others.
 */
export interface LogProblem {
  file: string;
  /** Byte offset (event files) or 1-based line (text logs); absent for whole-file problems. */
  byte?: number;
  line?: number;
  kind: string;
  message: string;
}

export function problemText(p: LogProblem): string {
  const where = p.byte !== undefined ? ` at byte ${p.byte}` : p.line !== undefined ? ` line ${p.line}` : "";
  return `${p.file}${where}: ${p.kind}: ${p.message}`;
}
