/**
 * The synchronous collective the workers of a pool share: a barrier and an all-reduce (sum) over a
 * `SharedArrayBuffer`, for use *inside* a forward or backward pass (SyncBN), where nothing may await.
 *
 * Layout of the buffer: an Int32 control block [arrived, generation, abort, _] then two banks of
 * `workers` float64 slots of `slotLength` values each. Round r of an all-reduce writes this worker's
 * values into bank r mod 2, passes the barrier, and sums the slots of ranks 0…parties − 1 in rank order —
 * so every party computes the bit-identical total, and the total depends only on the number of parties.
 * Two banks suffice: a party can only write bank r mod 2 again in round r + 2, after every party passed
 * the barrier of round r + 1, i.e. after each finished reading round r. Longer vectors go in chunks.
 *
 * Abort: the pool sets the abort word when any worker fails; a party waiting at the barrier then throws
 * instead of waiting for a peer that will never come (it re-checks at least every `pollMs`).
 */

const ARRIVED = 0, GENERATION = 1, ABORT = 2, CONTROL_INTS = 4;
const CONTROL_BYTES = CONTROL_INTS * Int32Array.BYTES_PER_ELEMENT;

export class AbortedError extends Error {
  constructor() {
    super("the worker pool was aborted (another worker failed)");
    this.name = "AbortedError";
  }
}

export interface SharedGroupLayout {
  buffer: SharedArrayBuffer;
  workers: number;
  slotLength: number;
}

/** A fresh buffer for `workers` parties with slots of `slotLength` float64 values. */
export function createSharedGroup(workers: number, slotLength = 4096): SharedGroupLayout {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`createSharedGroup: workers must be a positive integer, got ${workers}`);
  if (!(Number.isInteger(slotLength) && slotLength >= 1)) throw new Error(`createSharedGroup: slotLength must be a positive integer, got ${slotLength}`);
  const buffer = new SharedArrayBuffer(CONTROL_BYTES + 2 * workers * slotLength * Float64Array.BYTES_PER_ELEMENT);
  return { buffer, workers, slotLength };
}

/** Set the abort word and wake every waiting party (called by the pool, from any thread). */
export function abortSharedGroup(layout: SharedGroupLayout): void {
  const ctrl = new Int32Array(layout.buffer, 0, CONTROL_INTS);
  Atomics.store(ctrl, ABORT, 1);
  Atomics.add(ctrl, GENERATION, 1);
  Atomics.notify(ctrl, GENERATION);
}

/** One party's view: its rank, the barrier and the all-reduce. */
export class SharedGroup {
  private readonly ctrl: Int32Array;
  private readonly banks: Float64Array;
  private round = 0;
  /** Ranks 0…parties − 1 take part in this step's collectives (the others hold no samples). */
  parties = 1;

  constructor(readonly layout: SharedGroupLayout, readonly rank: number, readonly pollMs = 250) {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < layout.workers)) {
      throw new Error(`SharedGroup: rank ${rank} is outside 0…${layout.workers - 1}`);
    }
    this.ctrl = new Int32Array(layout.buffer, 0, CONTROL_INTS);
    this.banks = new Float64Array(layout.buffer, CONTROL_BYTES, 2 * layout.workers * layout.slotLength);
  }

  /** Start a step with `parties` participants (every party of the step calls this with the same count). */
  beginStep(parties: number): void {
    if (!(Number.isInteger(parties) && parties >= 1 && parties <= this.layout.workers)) {
      throw new Error(`SharedGroup.beginStep: parties must be in 1…${this.layout.workers}, got ${parties}`);
    }
    this.parties = parties;
    this.round = 0;
  }

  private checkAbort(): void {
    if (Atomics.load(this.ctrl, ABORT) !== 0) throw new AbortedError();
  }

  /** Block until all `parties` arrived (sense by generation count). */
  barrier(): void {
    this.checkAbort();
    const gen = Atomics.load(this.ctrl, GENERATION);
    if (Atomics.add(this.ctrl, ARRIVED, 1) === this.parties - 1) {
      Atomics.store(this.ctrl, ARRIVED, 0);
      Atomics.add(this.ctrl, GENERATION, 1);
      Atomics.notify(this.ctrl, GENERATION);
      return;
    }
    while (Atomics.load(this.ctrl, GENERATION) === gen) {
      Atomics.wait(this.ctrl, GENERATION, gen, this.pollMs);
      this.checkAbort();
    }
    this.checkAbort();
  }

  /** Σ over parties of `values` (same length in every party), summed in rank order. */
  allReduce(values: Float64Array): Float64Array {
    if (this.parties === 1 || values.length === 0) return Float64Array.from(values);
    const { workers, slotLength } = this.layout;
    const out = new Float64Array(values.length);
    for (let start = 0; start < values.length; start += slotLength) {
      const len = Math.min(slotLength, values.length - start);
      const bank = (this.round++ & 1) * workers * slotLength;
      this.banks.set(values.subarray(start, start + len), bank + this.rank * slotLength);
      this.barrier();
      for (let p = 0; p < this.parties; p++) {
        const slot = bank + p * slotLength;
        for (let i = 0; i < len; i++) out[start + i] = (p === 0 ? 0 : out[start + i]!) + this.banks[slot + i]!;
      }
    }
    return out;
  }
}
