// withForwardHooks: every call of a hooked module reports (name, module, input, output); the modules are
// restored after the callback, whether it returns, throws, resolves or rejects.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { withForwardHooks, type ForwardCall } from "../../src/lib/layers/hooks.js";
import { Linear } from "../../src/lib/layers/linear.js";
import { leafModules, type Module } from "../../src/lib/layers/module.js";
import { Sequential } from "../../src/lib/layers/seq.js";

const own = (m: Module) => Object.prototype.hasOwnProperty.call(m, "forward");

describe("withForwardHooks", () => {
  it("reports name, module, input and output of each hooked call, in call order, and returns the body's value", () => {
    const a = new Linear(3, 2, { seed: 1 }), b = new Linear(2, 4, { seed: 2 });
    const net = new Sequential(a, b);
    const x = tf.randomUniform([2, 1, 3], 0, 1, "float32", 3);
    const calls: ForwardCall[] = [];
    const y = withForwardHooks(leafModules(net), (c) => calls.push(c), () => net.forward(x));
    expect(calls.map((c) => c.name)).toEqual(["0", "1"]);
    expect(calls[0]!.module).toBe(a);
    expect(calls[0]!.input).toBe(x);
    expect(calls[1]!.input).toBe(calls[0]!.output);
    expect(calls[1]!.output).toBe(y);
    expect(y.shape).toEqual([2, 1, 4]);
    expect(own(a) || own(b)).toBe(false); // the prototype's forward is visible again
    net.forward(x);
    expect(calls).toHaveLength(2); // no hook after the callback
  });

  it("restores after a throwing body and after a rejecting async one; waits for an async body before restoring", async () => {
    const m = new Linear(2, 2, { seed: 4 });
    const x = tf.zeros([1, 1, 2]);
    let n = 0;
    expect(() => withForwardHooks([["m", m]], () => n++, () => { m.forward(x); throw new Error("boom"); })).toThrow("boom");
    expect(own(m)).toBe(false);
    await expect(withForwardHooks([["m", m]], () => n++, async () => { m.forward(x); throw new Error("later"); })).rejects.toThrow("later");
    expect(own(m)).toBe(false);
    const done = withForwardHooks([["m", m]], () => n++, async () => {
      await Promise.resolve();
      m.forward(x); // still hooked after an await
      return 7;
    });
    expect(own(m)).toBe(true);
    expect(await done).toBe(7);
    expect(own(m)).toBe(false);
    expect(n).toBe(3);
  });

  it("puts back a forward that is the module's own property, and hooks a module listed twice twice", () => {
    const f = (t: tf.Tensor) => tf.mul(t, 2);
    const m: Module = { forward: f };
    let n = 0;
    withForwardHooks([["a", m], ["b", m]], () => n++, () => m.forward(tf.ones([1])));
    expect(n).toBe(2);
    expect(m.forward).toBe(f);
  });
});
