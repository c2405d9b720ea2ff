/**
 * A pool of gradient workers (`worker.ts`) and the shared memory they use.
 *
 * Start: every worker builds its model from the {@link WorkerSetup} on its own backend and reports its
 * parameter and buffer names and shapes, which must equal the main thread's. Step (or evaluated batch): one
 * message per taking part worker, one answer each. Failure of any worker (an error it reports, an uncaught exception, an exit)
 * aborts the shared group (peers blocked at a barrier stop), terminates every worker and rejects the step
 * with an error naming the worker and its message; the pool is unusable afterwards and holds no thread, so
 * the process can exit.
 *
 * Loading: the entry is `worker.ts` next to this file under tsx/vitest and `worker.js` under `dist/`
 * (`thread.ts` brings tsx in when a `.ts` module is involved).
 */
import type { Worker } from "node:worker_threads";
import type { EvalMessage, StepMessage, WorkerInit, WorkerMessage, WorkerSetup } from "./protocol.js";
import { abortSharedGroup, createSharedGroup, type SharedGroupLayout } from "./shared-group.js";
import { SharedTensors, specMismatch, type TensorSpec } from "./shared-tensors.js";
import { siblingModule, startThread } from "./thread.js";
import { setupModuleUrl } from "./setup.js";

export interface PoolOptions {
  workers: number;
  setup: WorkerSetup;
  params: TensorSpec[];
  buffers: TensorSpec[];
  hasObjective: boolean;
  hasPrepareEpoch: boolean;
  lossName: string;
  /** Backend rung the workers start (the main thread's); null: the ladder's choice. */
  backend: string | null;
}

type Done = Extract<WorkerMessage, { type: "done" }>;
type Evaluated = Extract<WorkerMessage, { type: "evaluated" }>;
type Answer = Done | Evaluated;

interface Pending {
  resolve(m: Answer): void;
  reject(e: Error): void;
}

/** How long a report "stopped because a peer failed" waits for that peer's own error. */
const ABORTED_REPORT_GRACE_MS = 2000;

export class WorkerPool {
  readonly params: SharedTensors;
  readonly buffersIn: SharedTensors;
  readonly buffersOut: SharedTensors;
  readonly grads: SharedTensors;
  readonly group: SharedGroupLayout;
  private readonly threads: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;
  private abortedReport: ReturnType<typeof setTimeout> | null = null;
  private closing = false;
  private readonly ready: Promise<void>;

  private constructor(readonly o: PoolOptions) {
    this.params = SharedTensors.create(o.params);
    this.buffersIn = SharedTensors.create(o.buffers);
    this.buffersOut = SharedTensors.create(o.buffers);
    this.grads = SharedTensors.create(o.params, o.workers);
    this.group = createSharedGroup(o.workers);
    const entry = siblingModule(import.meta.url, "worker");
    const readies: Promise<void>[] = [];
    for (let rank = 0; rank < o.workers; rank++) {
      const init: WorkerInit = {
        rank, setup: o.setup, backend: o.backend, hasObjective: o.hasObjective, hasPrepareEpoch: o.hasPrepareEpoch, lossName: o.lossName,
        params: this.params.layout, buffersIn: this.buffersIn.layout, buffersOut: this.buffersOut.layout,
        grads: this.grads.layout, group: this.group,
      };
      const w = startThread(entry, init, [setupModuleUrl(o.setup.module)]);
      this.threads.push(w);
      readies.push(new Promise<void>((resolve, reject) => {
        this.pending.set(rank, { resolve: () => resolve(), reject });
      }));
      w.on("message", (m: WorkerMessage) => this.onMessage(rank, m));
      w.on("error", (e: Error) => this.fail(rank, e));
      w.on("messageerror", (e: Error) => this.fail(rank, e));
      w.on("exit", (code: number) => {
        if (!this.closing) this.fail(rank, new Error(`exited unexpectedly (code ${code})`));
      });
    }
    this.ready = Promise.all(readies).then(() => undefined);
  }

  /** Start `o.workers` threads and wait until each built its model. */
  static async start(o: PoolOptions): Promise<WorkerPool> {
    if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new Error(`WorkerPool: workers must be a positive integer, got ${o.workers}`);
    const pool = new WorkerPool(o);
    await pool.ready;
    return pool;
  }

  get size(): number {
    return this.o.workers;
  }

  private onMessage(rank: number, m: WorkerMessage): void {
    const p = this.pending.get(rank);
    if (m.type === "error") {
      const err = Object.assign(new Error(m.message), { stack: m.stack ?? m.message });
      if (m.aborted) {
        // A peer stopped at a barrier because another worker failed: report that worker's error, which is on its
        // way (messages of different threads arrive in any order); this one only if none comes.
        this.abortedReport ??= setTimeout(() => this.fail(rank, err), ABORTED_REPORT_GRACE_MS);
        return;
      }
      this.fail(rank, err);
      return;
    }
    if (m.type === "ready") {
      const bad = specMismatch(this.o.params, m.params, "parameter") ?? specMismatch(this.o.buffers, m.buffers, "buffer");
      if (bad) {
        this.fail(rank, new Error(`its model from ${this.o.setup.module}#${this.o.setup.export} differs from the trainer's: ${bad}`));
        return;
      }
    }
    this.pending.delete(rank);
    p?.resolve(m as Answer);
  }

  private fail(rank: number, cause: Error): void {
    if (this.abortedReport) clearTimeout(this.abortedReport);
    if (this.failure || this.closing) return;
    const err = new Error(`gradient worker ${rank} of ${this.o.workers} failed: ${cause.message}`, { cause });
    err.stack = `${err.message}\n  worker stack: ${cause.stack ?? "(none)"}`;
    this.failure = err;
    abortSharedGroup(this.group);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.closing = true;
    for (const w of this.threads) void w.terminate();
  }

  /** Send `msg` to ranks 0…parties − 1 and wait for all of their answers (in rank order). */
  step(msg: StepMessage): Promise<Done[]> {
    return this.send(msg) as Promise<Done[]>;
  }

  /** One batch of an evaluation on ranks 0…parties − 1; their answers in rank order. */
  evaluate(msg: EvalMessage): Promise<Evaluated[]> {
    return this.send(msg) as Promise<Evaluated[]>;
  }

  private async send(msg: StepMessage | EvalMessage): Promise<Answer[]> {
    if (this.failure) throw this.failure;
    if (this.closing) throw new Error("WorkerPool: step after close");
    const answers: Promise<Answer>[] = [];
    for (let rank = 0; rank < msg.parties; rank++) {
      answers.push(new Promise<Answer>((resolve, reject) => this.pending.set(rank, { resolve, reject })));
    }
    for (let rank = 0; rank < this.o.workers; rank++) {
      // Workers that take no part this step still need a new batch buffer for later steps.
      if (rank < msg.parties) this.threads[rank]!.postMessage(msg);
      else if (msg.data) this.threads[rank]!.postMessage({ ...msg, parties: 0 });
    }
    return Promise.all(answers);
  }

  /** Terminate every worker (idempotent). */
  async close(): Promise<void> {
    if (this.abortedReport) clearTimeout(this.abortedReport);
    if (this.closing && !this.failure) return;
    this.closing = true;
    await Promise.all(this.threads.map((w) => w.terminate()));
  }
}
