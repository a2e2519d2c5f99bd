import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextFile } from '../../src/adapters/platform.ts';
import { Controller, Get, type MonitoringOptions, versionInfo } from '../../src/index.ts';
import { BUILD_FILES } from '../../src/observability/battery.ts';
import { get, obsApp } from './helpers.ts';

@Controller('/hello')
class HelloController {
  @Get('/')
  hello() {
    return { hello: 'world' };
  }
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const runtimeEnvModule = `${root}src/adapters/platform.ts`;
const dir = mkdtempSync(join(tmpdir(), 'fb-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Build files as a CI pipeline writes them (with the trailing newline), in a fresh folder. */
function buildFiles(circle?: string, hash?: string): NonNullable<MonitoringOptions['version']>['files'] {
  const base = join(dir, String(n++));
  const files = { circle: `${base}-circleci.txt`, hash: `${base}-githash.txt` };
  if (circle !== undefined) writeFileSync(files.circle, circle);
  if (hash !== undefined) writeFileSync(files.hash, hash);
  return files;
}

async function version(env: Record<string, string>, option: MonitoringOptions['version']) {
  const { app } = obsApp([HelloController], { env: { ENVIRONMENT: 'TEST', ...env }, monitoring: { version: option } });
  return (await app.fetch(get('/version'))).json();
}

describe('/version build files', () => {
  it('reads the build files when the env names no build, trimmed', async () => {
    expect(await version({}, { files: buildFiles('1234\n', '  366c204\n') })).toEqual({ circle: '1234', hash: '366c204' });
  });

  it('lets the env win over the files, and code over the env', async () => {
    const files = buildFiles('1\n', 'fromfile\n');
    expect(await version({ CIRCLE_BUILD_NUM: '77', GIT_COMMIT: 'fromenv' }, { files })).toEqual({ circle: '77', hash: 'fromenv' });
    expect(await version({ BUILD_NUMBER: '77', GIT_HASH: 'fromenv' }, { circle: '42', hash: 'fromcode', files })).toEqual({
      circle: '42',
      hash: 'fromcode',
    });
  });

  it('skips blank values: an empty env variable or option falls through to the next source', async () => {
    const files = buildFiles('9\n', 'abc1234\n');
    expect(await version({ BUILD_NUMBER: '', CIRCLE_BUILD_NUM: '  ', GIT_HASH: ' \n' }, { circle: '', files })).toEqual({
      circle: '9',
      hash: 'abc1234',
    });
    expect(await version({ BUILD_NUMBER: '', CIRCLE_BUILD_NUM: ' 5 ', GIT_HASH: '\tdeadbee\n' }, { files })).toEqual({
      circle: '5',
      hash: 'deadbee',
    });
  });

  it('answers "unknown" for a missing or blank file', async () => {
    expect(await version({}, { files: buildFiles(undefined, '\n') })).toEqual({ circle: 'unknown', hash: 'unknown' });
    expect(await version({}, { files: { circle: dir, hash: join(dir, 'nope', 'x.txt') } })).toEqual({ circle: 'unknown', hash: 'unknown' });
  });

  it('reads the files once, at the first /version (a build file written after createApp is seen, later changes are not)', async () => {
    const files = buildFiles(undefined, 'cafe123\n');
    const { app } = obsApp([HelloController], { monitoring: { version: { files } } });
    writeFileSync(files?.circle as string, '100\n');
    expect(await (await app.fetch(get('/version'))).json()).toEqual({ circle: '100', hash: 'cafe123' });
    writeFileSync(files?.circle as string, '101\n');
    rmSync(files?.hash as string);
    expect(await (await app.fetch(get('/version'))).json()).toEqual({ circle: '100', hash: 'cafe123' });
  });

  it("defaults to the Python package's /app/build-circleci.txt and /app/build-githash.txt, only when needed", () => {
    const asked: string[] = [];
    const disk: Record<string, string> = { '/app/build-circleci.txt': '555\n', '/app/build-githash.txt': 'f00dcafe\n' };
    const read = (path: string) => {
      asked.push(path);
      return disk[path];
    };
    expect(versionInfo({}, undefined, read)).toEqual({ circle: '555', hash: 'f00dcafe' });
    expect(asked).toEqual(['/app/build-circleci.txt', '/app/build-githash.txt']);
    expect(BUILD_FILES).toEqual({ circle: '/app/build-circleci.txt', hash: '/app/build-githash.txt' });
    asked.length = 0;
    expect(versionInfo({ BUILD_NUMBER: '1', GIT_HASH: 'h' }, undefined, read)).toEqual({ circle: '1', hash: 'h' });
    expect(asked).toEqual([]);
  });
});

describe('readTextFile on each runtime', () => {
  const file = join(dir, 'probe.txt');
  writeFileSync(file, 'abc1234\n');
  const missing = join(dir, 'missing.txt');
  const script = join(dir, 'probe.ts');
  writeFileSync(
    script,
    `import { readTextFile } from ${JSON.stringify(runtimeEnvModule)};\n` +
      `console.log(JSON.stringify([readTextFile(${JSON.stringify(file)}) ?? null, readTextFile(${JSON.stringify(missing)}) ?? null]));\n`,
  );
  const run = (bin: string, args: string[]) => {
    const out = spawnSync(`${root}node_modules/.bin/${bin}`, args, {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out.status, out.stderr).toBe(0);
    return JSON.parse(out.stdout.trim().split('\n').pop() as string);
  };

  it('reads a file on Node, and gives undefined for a missing one', () => {
    expect(readTextFile(file)).toBe('abc1234\n');
    expect(readTextFile(missing)).toBeUndefined();
    expect(readTextFile(dir)).toBeUndefined();
  });

  it('reads a file on Bun', () => {
    expect(run('bun', [script])).toEqual(['abc1234\n', null]);
  });

  it('reads a file on Deno with read permission, and gives undefined (no prompt, no throw) without', () => {
    expect(run('deno', ['run', '--no-config', `--allow-read=${dir}`, script])).toEqual(['abc1234\n', null]);
    // the script itself is readable without a grant; the probe file is not
    expect(run('deno', ['run', '--no-config', script])).toEqual([null, null]);
  });

  it('gives undefined on Workers, with and without nodejs_compat', async () => {
    const bundled = await build({
      stdin: {
        contents: `import { readTextFile } from ${JSON.stringify(runtimeEnvModule)};
export default { fetch: () => Response.json([readTextFile('/app/build-githash.txt') ?? null, readTextFile('/bundle/worker.mjs') ?? null]) };`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
    });
    for (const compatibilityFlags of [[], ['nodejs_compat']]) {
      const mf = new Miniflare({
        modules: true,
        script: bundled.outputFiles[0].text,
        compatibilityDate: '2025-09-01',
        compatibilityFlags,
      });
      try {
        const res = await mf.dispatchFetch('http://worker.test/');
        expect(await res.json()).toEqual([null, null]);
      } finally {
        await mf.dispose();
      }
    }
  });
});
