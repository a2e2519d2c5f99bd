// The routes the request-log suites drive: one that answers 200, one that throws (a 500).
import { Controller, Get } from '../../src/index.ts';
import type { LogLine } from './helpers.ts';

@Controller('/p')
export class LogController {
  @Get('/:id')
  get() {
    return { ok: true };
  }
  @Get('/')
  crash() {
    throw new Error('kaboom');
  }
}

/** The request-log lines among everything a memory logger kept. */
export function requestLines(lines: LogLine[]) {
  return lines.filter((l) => l.fields?.httpRequest !== undefined);
}
