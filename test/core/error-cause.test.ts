import { describe, expect, it } from 'vitest';
import { Controller, Get, QueryError } from '../../src/index.ts';
import { get, quietLogger, testApp } from './helpers.ts';

// What workerd's WebSocket rejects with when it cannot reach a database host: an ErrorEvent, not an Error.
const errorEvent = { type: 'error', message: 'Uncaught Error: internal error; reference = 4kcr7' };

@Controller('/db')
class FailingController {
  @Get('/event')
  event() {
    throw new QueryError(undefined, errorEvent);
  }

  @Get('/error')
  error() {
    throw new QueryError(undefined, new RangeError('out of range'));
  }
}

describe('the cause of an unexpected 5xx in the ERROR line', () => {
  it('is the message of an ErrorEvent-like cause, not "[object ErrorEvent]"', async () => {
    const logger = quietLogger();
    const app = testApp([FailingController], { logger });
    const res = await app.fetch(get('/db/event'));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Query error' });
    const line = logger.lines.find((l) => l.level === 'error');
    expect(line?.fields?.cause).toBe('error: Uncaught Error: internal error; reference = 4kcr7');
  });

  it('is name and message of an Error cause', async () => {
    const logger = quietLogger();
    await testApp([FailingController], { logger }).fetch(get('/db/error'));
    expect(logger.lines.find((l) => l.level === 'error')?.fields?.cause).toBe('RangeError: out of range');
  });
});
