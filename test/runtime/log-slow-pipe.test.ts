import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

// A shell pipe (64 KiB, as a log collector's), not the socket pair Node gives a child, whose reader
// starts only once the file $GO exists. The program's standard error and exit code come back on
// descriptor 3.
const PIPELINE = [
  `"${process.execPath}" --import tsx test/runtime/fixtures/log-slow-pipe.ts 2>&3`,
  '| { while [ ! -e "$GO" ]; do sleep 0.05; done; cat; };',
  'echo "exit code $PIPESTATUS" >&3',
].join(' ');

describe('Node: the request log on a slow pipe (a lagging log collector)', () => {
  it('an uncaught error while the pipe is full (2000 lines, about 500 KB): every line written, once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-slow-pipe-'));
    const go = join(dir, 'go');
    try {
      const child = spawn('bash', ['-c', PIPELINE], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1', LOG_LINES: '2000', GO: go },
      });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d) => (stdout += d));
      child.stdio[3]?.on('data', (d) => {
        stderr += d;
        // the reader starts a second after the throw: by then the process is at its exit
        if (stderr.includes('THROWING')) setTimeout(() => writeFileSync(go, ''), 1000);
      });
      await new Promise((resolve) => child.once('close', resolve));
      expect(stderr).toContain('boom after logging');
      expect(stderr).toContain('exit code 1');
      const lines = stdout.split('\n').filter((l) => l !== '');
      // each line whole, and the requests 0 to 1999 in order (-1 for a line cut short)
      const numbers = lines.map((l) => (l.endsWith('}}') ? Number(/\?i=(\d+)"/.exec(l)?.[1] ?? -1) : -1));
      expect(numbers).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
