// Paper ids must be strings: JSON numbers silently drop trailing zeros (2406.10 becomes 2406.1),
// which turns one arXiv paper into another. A numeric id is refused with a message that says so.
import { z } from 'zod';

export const idString = z
  .string({
    error: (iss) =>
      typeof iss.input === 'number'
        ? `is the number ${String(iss.input)}, but ids must be strings: quote it ("id": "${String(iss.input)}") ` +
          `and check it against the source, since a number drops trailing zeros (2406.10 becomes 2406.1)`
        : undefined,
  })
  .trim()
  .min(1);
