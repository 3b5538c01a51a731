// A small Prometheus text-format registry (https://prometheus.io/docs/instrumenting/exposition_formats/):
// counters with labels, gauges read when scraped, one histogram. Enough for ingest, no dependency.
type Labels = Record<string, string>;

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  readonly #name: string;
  readonly #help: string;
  readonly #values = new Map<string, number>();

  constructor(name: string, help: string) {
    this.#name = name;
    this.#help = help;
  }

  inc(amount = 1, labels: Labels = {}): void {
    const key = labelText(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + amount);
  }

  value(labels: Labels = {}): number {
    return this.#values.get(labelText(labels)) ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.#name} ${this.#help}`, `# TYPE ${this.#name} counter`];
    if (this.#values.size === 0) lines.push(`${this.#name} 0`);
    for (const [labels, value] of this.#values) lines.push(`${this.#name}${labels} ${value}`);
    return lines;
  }
}

export class Gauge implements Metric {
  readonly #name: string;
  readonly #help: string;
  readonly #read: () => number;
  readonly #type: 'gauge' | 'counter';

  /** A value read when scraped; `counter` for a count kept elsewhere that only grows. */
  constructor(name: string, help: string, read: () => number, type: 'gauge' | 'counter' = 'gauge') {
    this.#name = name;
    this.#help = help;
    this.#read = read;
    this.#type = type;
  }

  render(): string[] {
    return [`# HELP ${this.#name} ${this.#help}`, `# TYPE ${this.#name} ${this.#type}`, `${this.#name} ${this.#read()}`];
  }
}

export class Histogram implements Metric {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: number[];
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(name: string, help: string, bounds: number[]) {
    this.#name = name;
    this.#help = help;
    this.#bounds = bounds;
    this.#counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.#sum += value;
    this.#count++;
    for (let i = 0; i < this.#bounds.length; i++)
      if (value <= (this.#bounds[i] as number)) this.#counts[i] = (this.#counts[i] as number) + 1;
  }

  render(): string[] {
    return [
      `# HELP ${this.#name} ${this.#help}`,
      `# TYPE ${this.#name} histogram`,
      ...this.#bounds.map((bound, i) => `${this.#name}_bucket{le="${bound}"} ${this.#counts[i]}`),
      `${this.#name}_bucket{le="+Inf"} ${this.#count}`,
      `${this.#name}_sum ${this.#sum}`,
      `${this.#name}_count ${this.#count}`,
    ];
  }
}

export class MetricsRegistry {
  readonly #metrics: Metric[] = [];

  add<T extends Metric>(metric: T): T {
    this.#metrics.push(metric);
    return metric;
  }

  render(): string {
    return `${this.#metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}
