import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, skipWithoutPostgres } from './targets.ts';
import { startWorkerWithDatabase, type WorkerWithDatabase } from './worker-database.ts';

const SCHEMA = 'fb_workerd_wait_until';

// A route that hands a write on its @Db() handle to ctx.waitUntil: the request's pool must stay
// open until that write is done, not close as soon as the response is sent.
describe.skipIf(skipWithoutPostgres('the workerd waitUntil database test'))('@Db() inside ctx.waitUntil on Workers (workerd)', () => {
  let worker: WorkerWithDatabase;

  // in beforeAll: the body of a skipped describe still runs, without TEST_DATABASE_URL
  beforeAll(async () => {
    worker = await startWorkerWithDatabase('worker-wait-until.ts', SCHEMA);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
  });

  it('5 requests whose waitUntil task inserts a row with the request’s handle: 5 rows', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await worker.mf.dispatchFetch('http://worker/visit');
      expect({ status: res.status, json: await res.json() }).toEqual({ status: 200, json: { accepted: true } });
    }
    // the migrations run with the first statement, in the first task: no table yet counts as no row
    const count = async () => (await admin<{ n: number }>(worker.url, 'select count(*)::int as n from visit').catch(() => [{ n: 0 }]))[0].n;
    // the tasks run after their responses: wait for them (a few seconds at most), then count
    const until = Date.now() + 5000;
    while ((await count()) < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await count()).toBe(5);
    // and each request's pool is closed once its task is done: no WebSocket left open
    while (worker.proxy.connections > 0 && Date.now() < until + 5000) await new Promise((r) => setTimeout(r, 20));
    expect(worker.proxy.connections).toBe(0);
  }, 30_000);
});
