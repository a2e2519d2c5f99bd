import { describe, expect, it } from 'vitest';
import { consoleJsonLogger } from '../../src/index.ts';

/** The default logger writing into an array: each line parsed. */
function capture(): { lines: Record<string, unknown>[]; logger: ReturnType<typeof consoleJsonLogger> } {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: consoleJsonLogger('debug', (line) => lines.push(JSON.parse(line))) };
}

describe('consoleJsonLogger: fields named like the fixed keys', () => {
  it('keeps severity, message and timestamp of the call, and the clashing fields as field_<name>', () => {
    const { lines, logger } = capture();
    logger.error('upstream failed', { severity: 'DEBUG', message: 'overridden', timestamp: 'yesterday', route: '/p' });
    const [line] = lines;
    expect(line.severity).toBe('ERROR');
    expect(line.message).toBe('upstream failed');
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line).toMatchObject({ field_severity: 'DEBUG', field_message: 'overridden', field_timestamp: 'yesterday', route: '/p' });
  });

  it('keeps the severity when a field of that name is undefined', () => {
    const { lines, logger } = capture();
    logger.warn('slow', { severity: undefined });
    expect(lines[0].severity).toBe('WARN');
  });
});

describe('consoleJsonLogger: Error values', () => {
  it('writes an Error field with its name, message, stack and own properties such as code', () => {
    const { lines, logger } = capture();
    const error = Object.assign(new TypeError('ECONNRESET from billing'), { code: 'ECONNRESET' });
    logger.error('upstream failed', { error });
    expect(lines[0].error).toEqual({ name: 'TypeError', message: 'ECONNRESET from billing', stack: error.stack, code: 'ECONNRESET' });
    expect(lines[0].error).toMatchObject({ stack: expect.stringContaining('TypeError: ECONNRESET from billing') });
  });

  it('writes an Error nested in fields, and its cause chain', () => {
    const { lines, logger } = capture();
    const root = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    logger.error('upstream failed', { upstream: { host: 'billing', attempts: [new Error('refused', { cause: root })] } });
    const upstream = lines[0].upstream as { host: string; attempts: Record<string, unknown>[] };
    expect(upstream.host).toBe('billing');
    expect(upstream.attempts[0]).toMatchObject({
      name: 'Error',
      message: 'refused',
      cause: { message: 'socket hang up', code: 'ECONNRESET' },
    });
  });

  it('writes a cause chain that loops back once, then "[Circular]"', () => {
    const { lines, logger } = capture();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    logger.error('loop', { error: a });
    expect(lines[0].error).toMatchObject({ message: 'a', cause: { message: 'b', cause: '[Circular]' } });
  });

  it('writes an Error passed in place of the fields (untyped code) under "error"', () => {
    const { lines, logger } = capture();
    logger.error('failed', new RangeError('too big') as unknown as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ severity: 'ERROR', message: 'failed', error: { name: 'RangeError', message: 'too big' } });
  });

  it('still writes bigints as strings next to an Error', () => {
    const { lines, logger } = capture();
    logger.info('counted', { rows: 12n, error: new Error('partial') });
    expect(lines[0]).toMatchObject({ rows: '12', error: { message: 'partial' } });
  });
});
