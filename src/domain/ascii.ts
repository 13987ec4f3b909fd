// Byte values of the ASCII characters that code working on raw bytes (quoted-printable, SMTP data,
// JSON scanning) looks for, named once.
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SP = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const DOT = 0x2e;
export const COLON = 0x3a;
export const EQ = 0x3d;
export const OPEN_BRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;

/** JSON's whitespace: space, tab, LF, CR. */
export const isJsonSpace = (b: number) => b === SP || b === LF || b === CR || b === TAB;
