import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../src/index.ts';

describe('a labelled set or observe without its value', () => {
  it('is refused, rather than a gauge quietly at 0 or a histogram that records nothing', async () => {
    const registry = new MetricsRegistry();
    const depth = registry.gauge({ name: 'queue_depth', help: 'Jobs waiting', labelNames: ['queue'] });
    const took = registry.histogram({ name: 'render_seconds', help: 'Render time', labelNames: ['kind'], buckets: [1] });
    depth.set({ queue: 'email' }, 4);
    took.observe({ kind: 'pdf' }, 0.5);
    // what a JavaScript caller (or a cast) can still write: the overloads refuse it in TypeScript
    const unchecked = {
      set: depth.set.bind(depth) as unknown as (labels: object) => void,
      observe: took.observe.bind(took) as unknown as (labels: object) => void,
    };
    expect(() => unchecked.set({ queue: 'email' })).toThrow('Gauge queue_depth: set(labels, value) needs the value');
    expect(() => unchecked.observe({ kind: 'pdf' })).toThrow('Histogram render_seconds: observe(labels, value) needs the value');
    const text = await registry.scrape();
    expect(text).toContain('queue_depth{queue="email"} 4\n');
    expect(text).toContain('render_seconds_count{kind="pdf"} 1\n');
  });
});
