import { describe, expect, it } from 'vitest';
import { type AppOptions, createApp, MetricsRegistry, silentLogger } from '../../src/index.ts';

/** createApp with no controllers and the given options, as a service would write them (misspellings included). */
function create(options: Record<string, unknown>) {
  return createApp({ env: { ENVIRONMENT: 'TEST' }, logger: silentLogger, controllers: [], ...(options as AppOptions) });
}

describe('createApp: misspelt keys in monitoring, metrics and database', () => {
  it.each([
    [
      { monitoring: { requestlog: false } },
      'createApp({ monitoring }): unknown option "monitoring.requestlog" (known: version, requestLog, checks)',
    ],
    [{ monitoring: { check: [] } }, 'createApp({ monitoring }): unknown option "monitoring.check" (known: version, requestLog, checks)'],
    [
      { monitoring: { version: { hsh: 'abc' } } },
      'createApp({ monitoring }): unknown option "monitoring.version.hsh" (known: circle, hash, files)',
    ],
    [
      { monitoring: { version: { files: { circel: '/srv/build.txt' } } } },
      'createApp({ monitoring }): unknown option "monitoring.version.files.circel" (known: circle, hash)',
    ],
    [
      { metrics: { bucket: [0.1] } },
      'createApp({ metrics }): unknown option "metrics.bucket" (known: registry, buckets, collectTimeoutMs)',
    ],
    [
      { database: { migration: [] } },
      'createApp({ database }): unknown option "database.migration" (known: migrations, migrationsTable, perRequest; or pass a Database)',
    ],
  ])('refuses %j, naming the key and the known ones', (options, message) => {
    expect(() => create(options)).toThrow(new TypeError(message));
  });

  it('refuses them with testing: true too', () => {
    expect(() => create({ testing: true, metrics: { collectTimeout: 5 } })).toThrow(/unknown option "metrics.collectTimeout"/);
  });

  it.each([
    [{ monitoring: 'yes' }, 'createApp({ monitoring }): monitoring must be true, false or an object'],
    [{ monitoring: { version: 'abc1234' } }, 'createApp({ monitoring }): monitoring.version must be an object'],
    [{ metrics: [] }, 'createApp({ metrics }): metrics must be true, false or an object'],
  ])('refuses %j, which would be ignored', (options, message) => {
    expect(() => create(options)).toThrow(new TypeError(message));
  });

  it('accepts every key the batteries read', async () => {
    const app = create({
      monitoring: {
        version: { circle: '42', hash: 'abc', files: { circle: '/nowhere/c', hash: '/nowhere/h' } },
        requestLog: false,
        checks: [],
      },
      metrics: { registry: new MetricsRegistry(), buckets: [0.1, 1], collectTimeoutMs: 500 },
    });
    const response = await app.fetch(new Request('http://svc.test/version'));
    expect(await response.json()).toEqual({ circle: '42', hash: 'abc' });
  });
});
