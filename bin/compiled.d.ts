/** True when `dir`/dist/ (default: the repo's) is newer than every file in src/, and PAPERBOY_TSX is not 1. */
export function compiledIsFresh(dir?: string): boolean;
/** Imports `src/<path>.ts` compiled from dist/ when fresh, else through tsx. */
export function importSource(path: string): Promise<any>;
