// A query built with Kysely once and run many times with new values. On a send's hot path (a claim
// and a mark per message) building and compiling the query cost more than running it; the template
// keeps the compiled SQL and puts each call's values where the named slots were.
import { CompiledQuery, type Compilable } from 'kysely';

const SLOT = '\u0000paperboy-slot:';

/** A placeholder for a value given at each run; typed as whatever the column wants. */
export const slot = <T = string>(name: string): T => `${SLOT}${name}` as T;

export function statementTemplate<K extends string>(query: Compilable): (values: Record<K, unknown>) => CompiledQuery {
  const compiled = query.compile();
  const names = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? p.slice(SLOT.length) : undefined));
  return (values) =>
    CompiledQuery.raw(
      compiled.sql,
      compiled.parameters.map((p, i) => {
        const name = names[i];
        return name === undefined ? p : (values as Record<string, unknown>)[name];
      }),
    );
}
