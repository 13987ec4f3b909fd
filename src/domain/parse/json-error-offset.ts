// Node 20's JSON.parse often says only "Unexpected token ','" with no position, and a person
// needs the line. This small scanner finds the offset of the first syntax error; it runs only
// after JSON.parse has already failed.

class At {
  constructor(readonly offset: number) {}
}

export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw new At(i);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          fail();
        }
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  // Iterative, with the open containers on a stack of its own: a file nested a million deep
  // (an attack, or a runaway export) must get its position too, not a blown call stack.
  const stack: ('{' | '[')[] = [];
  const key = () => {
    ws();
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  const value = (): void => {
    for (;;) {
      // A value starts here.
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) i++;
        else {
          stack.push(c);
          if (c === '{') key();
          continue;
        }
      } else if (c === '"') string();
      else if (c === 't') literal('true');
      else if (c === 'f') literal('false');
      else if (c === 'n') literal('null');
      else number();
      // After a value: a comma starts the next one, a bracket closes its container.
      for (;;) {
        const open = stack[stack.length - 1];
        if (open === undefined) return;
        ws();
        if (text[i] === ',') {
          i++;
          if (open === '{') key();
          break;
        }
        if (text[i] !== (open === '{' ? '}' : ']')) fail();
        i++;
        stack.pop();
      }
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof At) return e.offset;
    return undefined;
  }
}
