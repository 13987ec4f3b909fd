// The plain-text part wrapped for mail clients that show it as it is: lines of at most 72 columns
// (RFC 3676's advice; a URL longer than that keeps its own line whole). A wrapped line's
// continuation keeps its indentation, and a numbered or bulleted line ("12. Title", "- item")
// hangs under its text.
import wordWrap from 'word-wrap';

export const TEXT_WIDTH = 72;

// "  12. ", "- ", "* ", "• ": the prefix continuation lines hang under.
const HANGING = /^(\s*)((?:\d{1,4}[.)]|[-*•])\s+)?/;

// Hundreds of variants of one issue repeat the same long lines (a paper's abstract): each is wrapped once.
const MAX_MEMO = 4096;
const memo = new Map<string, string>();

function wrapLine(line: string, width: number): string {
  const m = HANGING.exec(line)!;
  const indent = m[1] ?? '';
  const hang = indent + ' '.repeat((m[2] ?? '').length);
  const content = line.slice(indent.length);
  // Nothing to break at after the indentation: one long word (a URL) stays whole.
  if (!/\s/.test(content.trim())) return line;
  return wordWrap(content, { width: Math.max(20, width - hang.length), indent, newline: `\n${hang}`, trim: true, cut: false });
}

/** Wraps every line longer than `width` at spaces; shorter lines are left exactly as they are. */
export function wrapText(text: string, width = TEXT_WIDTH): string {
  if (!text.includes('\n') && text.length <= width) return text;
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length <= width) continue;
    const key = `${width}\0${line}`;
    let wrapped = memo.get(key);
    if (wrapped === undefined) {
      wrapped = wrapLine(line, width);
      if (memo.size >= MAX_MEMO) memo.clear();
      memo.set(key, wrapped);
    }
    if (wrapped !== line) {
      lines[i] = wrapped;
      changed = true;
    }
  }
  return changed ? lines.join('\n') : text;
}
