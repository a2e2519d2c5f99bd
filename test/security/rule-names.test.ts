/**
 * The rule names operators read in log lines (`"rule":"match_keys"`) are the Python package's,
 * in the published build too: the package's own esbuild command renames a nested function that
 * shares its factory's name (`match_keys2`), so each rule is named explicitly. The bundle is built
 * by package.json's "build" script's scripts/build.mjs, into a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../support/standard-build.ts';

// every rule factory with arguments it accepts
const FACTORIES: Record<string, unknown[]> = {
  scopes_present: ['read:thing'],
  key_present: ['thing_id'],
  key_contains_value: ['thing_id', '1'],
  key_contains_value_in_list: ['thing_id', ['1']],
  match_keys: [{ id: 'thing_id' }],
  compare_keys: [{ id: 'thing_id' }],
  non_production_only_route: [],
  production_only_route: [],
  argument_present: ['q'],
  argument_not_present: ['q'],
  field_in_path_matches_jwt_claim: ['id', 'thing_id'],
  field_in_body_matches_jwt_claim: ['id', 'thing_id'],
};
const COMBINATORS = ['and_', 'or_', 'not_'];

type Bundle = Record<string, (...args: unknown[]) => unknown>;
let dir: string;
let bundle: Bundle;
let testing: Bundle;

beforeAll(() => {
  const script: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.build;
  // the JavaScript half of the build; tsc's declarations are not needed here
  const command = 'node scripts/build.mjs';
  expect(script).toContain(command);
  // inside the repository (gitignored /tmp/) so the external packages resolve from its node_modules
  mkdirSync(join(root, 'tmp'), { recursive: true });
  dir = mkdtempSync(join(root, 'tmp', 'rule-names-'));
  execFileSync('sh', ['-c', `${command} --outdir=${dir}`], {
    cwd: root,
    env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
}, 60_000);

beforeAll(async () => {
  bundle = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'index.js')).href)) as Bundle;
  testing = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'testing', 'index.js')).href)) as Bundle;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(join(root, 'tmp')); // only when nothing else uses it
  } catch {}
});

describe('rule names in the esbuild bundle', () => {
  it('names every rule after its Python name', () => {
    const any = bundle.key_present('x');
    for (const [name, args] of Object.entries(FACTORIES)) expect([name, (bundle[name](...args) as Function).name]).toEqual([name, name]);
    for (const name of COMBINATORS) {
      const rule = name === 'not_' ? bundle.not_(any) : bundle[name](any, any);
      expect([name, (rule as Function).name]).toEqual([name, name]);
    }
  });

  it('logs the Python rule name when a rule denies a request', async () => {
    const HS_KEY = 'rule-names-hs-key-0123456789abcdef';
    class Things {
      one(id: string) {
        return { id };
      }
    }
    const where = Object.getOwnPropertyDescriptor(Things.prototype, 'one');
    // applied as experimentalDecorators would: (prototype, key, descriptor), then the class
    const decorate = (decorator: unknown) => (decorator as (...a: unknown[]) => void)(Things.prototype, 'one', where);
    decorate(bundle.Get('/:id', bundle.Param('id')));
    decorate(bundle.Secured(bundle.or_(bundle.match_keys({ id: 'thing_id' }))));
    (bundle.Controller('/things') as (c: Function) => void)(Things);

    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const log = (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields });
    const app = bundle.createApp({
      env: { ENVIRONMENT: 'TEST', HS_KEY, PROXY_URL: 'http://proxy.test' },
      testing: true,
      controllers: [Things],
      logger: { debug: log, info: log, warn: log, error: log },
    }) as { fetch(r: Request): Promise<Response> };
    const token = await testing.mintInternalToken({ key: HS_KEY, issuer: 'http://proxy.test/', scopes: [], metadata: { thing_id: '5' } });
    const call = (id: string) =>
      app.fetch(new Request(`http://test.local/things/${id}`, { headers: { authorization: `Bearer ${token}` } }));

    expect((await call('5')).status).toBe(200);
    const denied = await call('6');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ message: 'Forbidden' });
    expect(lines.find((l) => l.message === 'security rule denied the request')?.fields).toMatchObject({ rule: 'or_' });
  });
});
