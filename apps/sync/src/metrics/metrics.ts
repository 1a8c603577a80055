/**
 * A small Prometheus text-format registry (exposition format 0.0.4). Sync needs a handful
 * of counters, gauges and one histogram; a client library would be more code than this.
 */

type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',');
}

function braces(key: string): string {
  return key ? `{${key}}` : '';
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

interface Metric {
  readonly name: string;
  render(): string;
}

export class Counter implements Metric {
  readonly name: string;
  private readonly help: string;
  private readonly values = new Map<string, number>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels?: Labels): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [key, value] of this.values) lines.push(`${this.name}${braces(key)} ${formatNumber(value)}`);
    return lines.join('\n');
  }
}

export class Gauge implements Metric {
  readonly name: string;
  private readonly help: string;
  private readonly read: () => number | Array<[Labels, number]>;

  constructor(name: string, help: string, read: () => number | Array<[Labels, number]>) {
    this.name = name;
    this.help = help;
    this.read = read;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    const value = this.read();
    if (typeof value === 'number') lines.push(`${this.name} ${formatNumber(value)}`);
    else for (const [labels, v] of value) lines.push(`${this.name}${braces(labelKey(labels))} ${formatNumber(v)}`);
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  readonly name: string;
  private readonly help: string;
  private readonly bounds: readonly number[];
  private readonly buckets: number[];
  private sum = 0;
  private count = 0;

  constructor(name: string, help: string, bounds: readonly number[]) {
    this.name = name;
    this.help = help;
    this.bounds = [...bounds].sort((a, b) => a - b);
    this.buckets = this.bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= (this.bounds[i] as number)) this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    }
  }

  get observations(): number {
    return this.count;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.bounds.forEach((bound, i) => lines.push(`${this.name}_bucket{le="${formatNumber(bound)}"} ${this.buckets[i] ?? 0}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`);
    lines.push(`${this.name}_sum ${formatNumber(this.sum)}`);
    lines.push(`${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

/**
 * Events per second over a sliding window of whole seconds, for a gauge a human can read
 * without a Prometheus `rate()` (the counter beside it serves the machines).
 */
export class RateMeter {
  private readonly windowSeconds: number;
  private readonly slots: number[];
  private readonly stamps: number[];

  constructor(windowSeconds = 10) {
    this.windowSeconds = windowSeconds;
    this.slots = new Array<number>(windowSeconds).fill(0);
    this.stamps = new Array<number>(windowSeconds).fill(-1);
  }

  mark(now = Date.now(), by = 1): void {
    const second = Math.floor(now / 1000);
    const i = second % this.windowSeconds;
    if (this.stamps[i] !== second) {
      this.stamps[i] = second;
      this.slots[i] = 0;
    }
    this.slots[i] = (this.slots[i] ?? 0) + by;
  }

  /** Average per second over the last full `windowSeconds` seconds (the current one excluded). */
  perSecond(now = Date.now()): number {
    const current = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const stamp = this.stamps[i] ?? -1;
      if (stamp < current && stamp >= current - this.windowSeconds) total += this.slots[i] ?? 0;
    }
    return total / this.windowSeconds;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string, read: () => number | Array<[Labels, number]>): Gauge {
    return this.add(new Gauge(name, help, read));
  }

  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, bounds));
  }

  private add<M extends Metric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.metrics.push(metric);
    return metric;
  }

  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}
