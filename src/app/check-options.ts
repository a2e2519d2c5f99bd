import { defaultBatteries } from './batteries.ts';
import { APP_OPTION_NAMES } from './options.ts';

/** Edit distance between two short names (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name closest to `name`, when one is close enough to be a typo (case ignored). */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Refuses an option no part of the app reads: TypeScript catches a misspelt literal, but not one
 * passed through a variable or a spread (`createApp({ ...settings })`), which would otherwise be
 * ignored without a word.
 * @example checkOptions({ testng: true }, batteries); // TypeError: createApp: unknown option "testng"; did you mean "testing"?
 */
export function checkOptions(options: unknown, batteries: readonly { optionNames?: readonly string[] }[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('createApp(options): options must be an object');
  }
  const known = [...APP_OPTION_NAMES, ...batteries.flatMap((b) => b.optionNames ?? [])];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    // a default battery's option in an app built without that battery would do nothing
    const owner = defaultBatteries().find((b) => b.optionNames?.includes(key));
    if (owner !== undefined) {
      throw new TypeError(
        `createApp: option "${key}" is read by the ${owner.name} battery, which this app's battery list leaves out (add it, e.g. [...defaultBatteries(), yours])`,
      );
    }
    const near = nearestName(key, known);
    throw new TypeError(
      `createApp: unknown option "${key}"${near === undefined ? '' : `; did you mean "${near}"?`} (known: ${known.join(', ')})`,
    );
  }
}
