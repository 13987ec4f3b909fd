// Cheap change detection for the live preview: a short hash over the names, sizes and mtimes of files.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function entries(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    return [`${path}:missing`];
  }
  if (!st.isDirectory()) return [`${path}:${st.size}:${st.mtimeMs}`];
  const names = (await readdir(path)).sort();
  const out = [`${path}:dir`];
  for (const name of names) {
    try {
      const s = await stat(join(path, name));
      if (s.isFile()) out.push(`${name}:${s.size}:${s.mtimeMs}`);
    } catch {
      // Removed between readdir and stat: the next poll sees it gone.
    }
  }
  return out;
}

/** Changes whenever a listed file, or a file directly inside a listed folder, is added, removed or modified. */
export async function filesVersion(paths: readonly string[]): Promise<string> {
  const all = await Promise.all(paths.map(entries));
  return createHash('sha1').update(all.flat().join('\n')).digest('hex').slice(0, 12);
}
