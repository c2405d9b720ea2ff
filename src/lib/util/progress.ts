/**
 * A small text progress bar for long work (training epochs, preprocessing, benchmarks).
 * On a TTY it redraws one line; elsewhere (CI logs, notebooks) it prints at most ~every 10 %.
 */
export interface ProgressOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  /** Silence completely (also when SPIKELAB_QUIET=1). */
  quiet?: boolean;
  width?: number;
}

export class ProgressBar {
  private done = 0;
  private lastPrintedPct = -1;
  private readonly start = Date.now();
  private readonly stream: { write(s: string): unknown; isTTY?: boolean };
  private readonly quiet: boolean;
  private readonly width: number;

  constructor(readonly label: string, readonly total: number, opts: ProgressOptions = {}) {
    if (!(total > 0)) throw new Error(`ProgressBar '${label}': total must be > 0, got ${total}`);
    this.stream = opts.stream ?? process.stderr;
    this.quiet = opts.quiet ?? process.env.SPIKELAB_QUIET === "1";
    this.width = opts.width ?? 28;
  }

  /** Advance by `n` items; `info` is shown after the bar (e.g. `loss 0.42`). */
  tick(n = 1, info = ""): void {
    this.done = Math.min(this.total, this.done + n);
    this.render(info);
  }

  /** Mark complete and end the line. */
  finish(info = ""): void {
    this.done = this.total;
    this.render(info, true);
  }

  private render(info: string, final = false): void {
    if (this.quiet) return;
    const frac = this.done / this.total;
    const pct = Math.floor(frac * 100);
    const tty = Boolean(this.stream.isTTY);
    if (!tty && !final && pct < this.lastPrintedPct + 10) return;
    if (!tty && final && this.lastPrintedPct === 100) return;
    this.lastPrintedPct = pct;
    const filled = Math.round(frac * this.width);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = frac > 0 ? elapsed * (1 / frac - 1) : NaN;
    const line = `${this.label} [${"#".repeat(filled)}${"-".repeat(this.width - filled)}] ` +
      `${this.done}/${this.total} ${elapsed.toFixed(1)}s` +
      (frac < 1 && Number.isFinite(eta) ? ` eta ${eta.toFixed(1)}s` : "") + (info ? `  ${info}` : "");
    this.stream.write(tty ? `\r${line}${final ? "\n" : ""}` : `${line}\n`);
  }
}
