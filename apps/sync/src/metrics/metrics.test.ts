import { describe, expect, it } from 'vitest';
import { MetricsRegistry, RateMeter } from './metrics.ts';

describe('metrics', () => {
  it('[SY40] renders counters, gauges and histograms in the Prometheus text format', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('things_total', 'Things.');
    counter.inc({ reason: 'a"b' });
    counter.inc({ reason: 'a"b' }, 2);
    registry.gauge('level', 'Level.', () => 3);
    const histogram = registry.histogram('took_seconds', 'Took.', [0.1, 1]);
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(5);
    expect(registry.render()).toBe(
      [
        '# HELP things_total Things.',
        '# TYPE things_total counter',
        'things_total{reason="a\\"b"} 3',
        '# HELP level Level.',
        '# TYPE level gauge',
        'level 3',
        '# HELP took_seconds Took.',
        '# TYPE took_seconds histogram',
        'took_seconds_bucket{le="0.1"} 1',
        'took_seconds_bucket{le="1"} 2',
        'took_seconds_bucket{le="+Inf"} 3',
        'took_seconds_sum 5.55',
        'took_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it('[SY40] a rate meter averages whole past seconds', () => {
    const meter = new RateMeter(10);
    for (let s = 0; s < 10; s++) meter.mark(s * 1000 + 500, 5);
    expect(meter.perSecond(10_000)).toBe(5);
    expect(meter.perSecond(30_000)).toBe(0);
  });
});
