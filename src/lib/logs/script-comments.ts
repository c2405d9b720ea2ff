/**
 * Shell scripts that record results as comments above the commands that produced them:
 *
 *   # TET 62.9167
 *   python train.py --model sew_resnet18 \
 *     --tet -b 192
 *
 * `commentedCommands` pairs each command (backslash continuations joined) with the comment lines directly
 * above it; nothing here knows what a comment means.
 */
export interface CommentedCommand {
  /** 1-based line of the command's first line. */
  line: number;
  comments: string[];
  command: string;
}

export function commentedCommands(text: string): CommentedCommand[] {
  const lines = text.split(/\r?\n/);
  const out: CommentedCommand[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t.startsWith("#!")) continue;
    if (t.startsWith("#")) { comments.push(t.replace(/^#+\s?/, "")); continue; }
    if (t === "") { comments = []; continue; }
    const start = i;
    let cmd = t;
    while (cmd.endsWith("\\") && i + 1 < lines.length) cmd = `${cmd.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
    out.push({ line: start + 1, comments, command: cmd });
    comments = [];
  }
  return out;
}

/** Write commands with their comments (the inverse, for tests and generated fixtures). */
export function formatCommentedCommands(entries: readonly { comments: string[]; command: string[] }[]): string {
  return `#!/usr/bin/env sh\n\n${entries.map((e) => [...e.comments.map((c) => `# ${c}`), e.command.join(" \\\n  ")].join("\n")).join("\n\n")}\n`;
}
