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
const memos = new Map<number, Map<string, string>>();

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
  // Only the long lines are visited (the regular expression finds them without splitting the text).
  let memo = memos.get(width);
  if (!memo) memos.set(width, (memo = new Map()));
  const m = memo;
  return text.replace(longLines(width), (line) => {
    let wrapped = m.get(line);
    if (wrapped === undefined) {
      wrapped = wrapLine(line, width);
      if (m.size >= MAX_MEMO) m.clear();
      m.set(line, wrapped);
    }
    return wrapped;
  });
}

const longLineRes = new Map<number, RegExp>();
function longLines(width: number): RegExp {
  let re = longLineRes.get(width);
  if (!re) longLineRes.set(width, (re = new RegExp(`^[^\\n]{${width + 1},}$`, 'gm')));
  return re;
}
