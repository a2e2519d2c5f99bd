import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../examples/app/index.ts';
import { silentLogger } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'fb-pglite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = () => createDemoApp({ env: { ENVIRONMENT: 'DEVELOPMENT', DATABASE_URL: join(dir, 'pg') }, logger: silentLogger });
const post = (body: unknown) =>
  new Request('http://demo/patients', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('PGlite in a directory (DATABASE_URL=./path)', () => {
  it('keeps the data when the app is closed and started again', async () => {
    const first = demo();
    const created = await (await first.fetch(post({ first_name: 'Grace', last_name: 'Hopper' }))).json();
    await first.close();

    const second = demo();
    const res = await second.fetch(new Request(`http://demo/patients/${created.uuid}`));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);
    await second.close();
  }, 120_000);
});
