import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../errors.js';
import { createLogger, logFormatFor } from './logger.js';

const at = new Date(2026, 2, 14, 7, 5, 9); // local time: the pretty format shows local HH:MM:SS

function capture(format: 'json' | 'pretty', level?: 'debug' | 'info') {
  const lines: string[] = [];
  const logger = createLogger({ format, write: (l) => lines.push(l), clock: () => at, ...(level ? { level } : {}) });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line, errors as code and message', () => {
    const { logger, lines } = capture('json');
    logger.error('digest.invalid', { file: '/d/x.json', error: new PaperboyError('DIGEST_INVALID', 'x.json: line 2\nline 3'), skipped: undefined });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      time: at.toISOString(),
      level: 'error',
      event: 'digest.invalid',
      file: '/d/x.json',
      error: { code: 'DIGEST_INVALID', message: 'x.json: line 2\nline 3' },
    });
  });

  it('writes HH:MM:SS level event key=value for people, quoting only when needed, on one line', () => {
    const { logger, lines } = capture('pretty');
    logger.info('digest.send', { file: '/d/x.json', sent: 3, outcome: 'completed', note: 'two words' });
    logger.warn('pending.failed', { error: new PaperboyError('SMTP_UNREACHABLE', 'no route\nto host') });
    expect(lines).toEqual([
      '07:05:09 info  digest.send file=/d/x.json sent=3 outcome=completed note="two words"\n',
      '07:05:09 warn  pending.failed error="SMTP_UNREACHABLE: no route\\nto host"\n',
    ]);
  });

  it('drops events below the level', () => {
    const quiet = capture('json');
    quiet.logger.debug('pending.check');
    expect(quiet.lines).toEqual([]);
    const loud = capture('json', 'debug');
    loud.logger.debug('pending.check');
    expect(loud.lines).toHaveLength(1);
  });

  it('picks pretty on a terminal and JSON elsewhere unless told', () => {
    expect(logFormatFor('auto', true)).toBe('pretty');
    expect(logFormatFor('auto', false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
    expect(logFormatFor('pretty', false)).toBe('pretty');
  });
});
