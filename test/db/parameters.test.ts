import { afterAll, describe, expect, it } from 'vitest';
import { type App, Body, Controller, createApp, type Database, Db, Post, sql } from '../../src/index.ts';
import { call } from './suite-support.ts';
import { type DriverName, skipWithoutPostgres, startTarget, type Target } from './targets.ts';

@Controller('/p')
class ParamsController {
  // a bind whose value count does not match the placeholders: PostgreSQL answers 08P01
  @Post('/extra')
  extra(@Db() db: Database) {
    return db.many('select 1 as x', [1]);
  }
  @Post('/in')
  inList(@Body() body: { ids: number[] }, @Db() db: Database) {
    return db.one(sql`select count(*) as n from generate_series(1, 3) g where g in (${sql.join(body.ids)})`);
  }
}

function logLines() {
  const lines: string[] = [];
  const keep = (level: string) => (msg: string, fields?: unknown) => lines.push(`${level} ${msg} ${JSON.stringify(fields)}`);
  return { lines, logger: { debug: () => {}, info: () => {}, warn: keep('warn'), error: keep('error') } };
}

const drivers: DriverName[] = skipWithoutPostgres('the parameter-count tests on pg') ? ['pglite'] : ['pglite', 'pg'];

describe.each(drivers)('statements with the wrong number of parameters on %s', (driver) => {
  let target: Target;
  let app: App;
  const log = logLines();
  afterAll(async () => {
    await app?.close();
    await target?.close();
  });

  it('answers 500 "Query error" for a protocol violation (08P01), not a 503 outage', async () => {
    target = await startTarget(driver, 'fb_params', { MAX_BODY_BYTES: '10000000' });
    app = createApp({ controllers: [ParamsController], env: target.env, database: true, docs: false, logger: log.logger });
    const res = await call(app, 'POST', '/p/extra');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ message: 'Query error' });
    expect(log.lines.join('\n')).toMatch(/error Query error .*bind message supplies 1 parameters/);
    expect(log.lines.join('\n')).not.toMatch(/connection lost|Database connection failed/);
    // the connection was kept: the next statement runs on it
    expect((await call(app, 'POST', '/p/in', { ids: [1, 2] })).json).toEqual({ n: 2 });
  }, 60_000);

  it('refuses more than 65535 values before sending: 500 "Query error", the log says too many parameters', async () => {
    expect((await call(app, 'POST', '/p/in', { ids: Array.from({ length: 65_535 }, (_, i) => i) })).json).toEqual({ n: 3 });
    log.lines.length = 0;
    const res = await call(app, 'POST', '/p/in', { ids: Array.from({ length: 65_536 }, (_, i) => i) });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ message: 'Query error' });
    expect(log.lines.join('\n')).toMatch(/error Query error .*Too many parameters: 65536 values bound/);
  }, 60_000);
});
