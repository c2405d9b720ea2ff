// Commands paired with the comments above them: continuations joined, blank lines reset, shebang skipped.
import { describe, expect, it } from "vitest";
import { commentedCommands, formatCommentedCommands } from "../../src/lib/logs/script-comments.js";

describe("commented commands", () => {
  it("round trip through the writer; a comment separated by a blank line belongs to no command", () => {
    const text = formatCommentedCommands([
      { comments: ["TET 62.9"], command: ["python a.py --model m", "--tet -b 1"] },
      { comments: ["x", "y"], command: ["python b.py"] },
    ]) + "\n# orphan\n\necho done\n";
    expect(commentedCommands(text)).toEqual([
      { line: 4, comments: ["TET 62.9"], command: "python a.py --model m --tet -b 1" },
      { line: 9, comments: ["x", "y"], command: "python b.py" },
      { line: 13, comments: [], command: "echo done" },
    ]);
  });
});
