// Node's exit write of the request log on a full pipe: bounded in time (a reader that never reads
// does not keep a crashed process, and its port, alive), and with another writer in the stream
// (console.log) the lines still come out whole and in order.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// a pipeline that hangs (the old unbounded exit write) must not outlive the test
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
});

// A shell pipe (64 KiB) whose reader starts only once the file $GO exists. The program's standard
// error, and a line when it has exited (whatever the reader does), come back on descriptor 3.
const PIPELINE = [
  `{ "${process.execPath}" --import tsx test/runtime/fixtures/log-slow-pipe.ts 2>&3; echo "node exited $?" >&3; }`,
  '| { while [ ! -e "$GO" ]; do sleep 0.05; done; cat; }',
].join(' ');

interface Run {
  stdout: string;
  stderr: string;
}

/** Runs the fixture; `goWhen` decides, from its standard error so far, when the reader may start. */
async function run(env: Record<string, string>, goWhen: (stderr: string) => boolean, goAfterMs: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'log-exit-bounded-'));
  const go = join(dir, 'go');
  try {
    const child = spawn('bash', ['-c', PIPELINE], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', LOG_LINES: '2000', GO: go, ...env },
      // its own process group: the whole pipeline can be ended at once
      detached: true,
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    let started = false;
    child.stdout?.on('data', (d) => (stdout += d));
    child.stdio[3]?.on('data', (d) => {
      stderr += d;
      if (!started && goWhen(stderr)) {
        started = true;
        setTimeout(() => writeFileSync(go, ''), goAfterMs);
      }
    });
    await new Promise((resolve) => child.once('close', resolve));
    return { stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const requestNumbers = (lines: string[]) => lines.flatMap((l) => (l.endsWith('}}') ? [Number(/\?i=(\d+)"/.exec(l)?.[1] ?? -1)] : []));

describe('Node: the exit write of the request log on a full pipe', () => {
  it('a reader that never reads: the crashed process still exits, keeps the lines it wrote in order, and says what it dropped', async () => {
    // the reader starts only after the process has exited: with an unbounded exit write it never would
    const { stdout, stderr } = await run({}, (e) => e.includes('node exited'), 0);
    expect(stderr).toContain('boom after logging');
    expect(stderr).toContain('node exited 1');
    expect(stderr).toMatch(/fetch-batteries: \d+ bytes of log lines not written at exit: standard output was not read/);
    const lines = stdout.split('\n').filter((l) => l !== '');
    const numbers = requestNumbers(lines);
    // what the pipe took: the first lines, in order (the last one may be cut where the pipe was full)
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i));
    expect(lines.slice(0, -1).every((l) => l.endsWith('}}'))).toBe(true);
  }, 60_000);

  it('with console.log lines in the same stream: no line glued to another, in order, none twice, the console lines kept', async () => {
    const { stdout, stderr } = await run({ CONSOLE: '1' }, (e) => e.includes('THROWING'), 1000);
    expect(stderr).toContain('node exited 1');
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => l.startsWith('CONSOLE'))).toEqual(['CONSOLE 0', 'CONSOLE 500', 'CONSOLE 1000', 'CONSOLE 1500']);
    expect(lines.filter((l) => l.split('{"timestamp"').length > 2)).toEqual([]);
    const numbers = requestNumbers(lines);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    // at most the batch being written when the process ended is lost (the stream cannot say how much of it went)
    expect(numbers.length).toBeGreaterThanOrEqual(1800);
  }, 60_000);
});
