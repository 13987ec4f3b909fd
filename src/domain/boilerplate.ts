// "Code is available at https://github.com/..." says nothing about a paper's topic but would vote for
// the code topic (and teach the field model the same) in every other abstract.
const BOILERPLATE = /https?:\/\/|github|\b(?:is|are|will be|be made|made|publicly|freely|openly) (?:publicly |freely |openly )?(?:available|released|accessible)\b|\bavailable (?:at|on|online)\b|\bproject page\b/i;

/** The abstract without sentences that only point to code, data or a project page. */
export function dropBoilerplate(abstract: string): string {
  return abstract
    .split(/(?<=[.!?])\s+(?=[A-Z0-9])/)
    .filter((sentence) => !BOILERPLATE.test(sentence))
    .join(' ');
}
