/**
 * Latency sampling for the genealogy benchmarks. The machine is shared, so every query runs over its whole
 * sample set in ROUNDS passes and the pass with the median p99 is reported (one burst of someone else's work
 * does not decide a number), and each execution is preceded by the same-run baseline (a primary-key lookup of
 * the same distributor, DESIGN.md §8).
 */

import { percentileLabel } from "../result";

export interface Latency {
  n: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

/** A measured query: its latencies, the baseline taken beside it, and the p99 of every round. */
export interface Measured extends Latency {
  baseline_p50_ms: number;
  baseline_p99_ms: number;
  p99_vs_baseline_p99: number;
  p99_by_round: number[];
}

export const ROUNDS = 3;

/** Nearest-rank percentile of an ascending list; `fraction` in [0, 1]. */
export function percentileOf(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50_ms: roundMs(percentileOf(sorted, 0.5)),
    p99_ms: roundMs(percentileOf(sorted, 0.99)),
    max_ms: roundMs(sorted.at(-1) ?? Number.NaN),
    mean_ms: roundMs(sorted.reduce((total, ms) => total + ms, 0) / Math.max(1, sorted.length)),
  };
}

export interface Sampling {
  /** How many calls there are in one round (one per sample). */
  count: number;
  /** The measured call for sample `index`; returns how many rows it produced. */
  run(index: number): Promise<number>;
  /** The baseline call for the same sample, timed just before `run`. */
  baseline(index: number): Promise<unknown>;
  warmup?: number;
  rounds?: number;
}

/** Times `run` against `baseline` over every sample, ROUNDS times; reports the round with the median p99. */
export async function sampleLatency(sampling: Sampling): Promise<{ latency: Measured; rowCounts: number[] }> {
  const warmup = sampling.warmup ?? Math.min(50, sampling.count);
  for (let index = 0; index < warmup; index += 1) await sampling.run(index);
  const rounds: { latency: Latency; baseline: Latency }[] = [];
  let rowCounts: number[] = [];
  for (let round = 0; round < (sampling.rounds ?? ROUNDS); round += 1) {
    const timings: number[] = [];
    const baselines: number[] = [];
    rowCounts = [];
    for (let index = 0; index < sampling.count; index += 1) {
      const baselineStarted = performance.now();
      await sampling.baseline(index);
      baselines.push(performance.now() - baselineStarted);
      const started = performance.now();
      rowCounts.push(await sampling.run(index));
      timings.push(performance.now() - started);
    }
    rounds.push({ latency: summarize(timings), baseline: summarize(baselines) });
  }
  const byP99 = [...rounds].sort((a, b) => a.latency.p99_ms - b.latency.p99_ms);
  const median = byP99[Math.floor(byP99.length / 2)]!;
  return {
    latency: {
      ...median.latency,
      baseline_p50_ms: median.baseline.p50_ms,
      baseline_p99_ms: median.baseline.p99_ms,
      p99_vs_baseline_p99: Math.round((median.latency.p99_ms / median.baseline.p99_ms) * 10) / 10,
      p99_by_round: rounds.map((r) => r.latency.p99_ms),
    },
    rowCounts,
  };
}

/**
 * A measurement as the result JSON reports it. Below 100 samples the p99 is the largest sample, so it is
 * reported as max: p99_ms goes (max_ms holds the same number) and every other p99 key says max.
 */
export function reported(latency: Latency): Record<string, unknown> {
  if (percentileLabel(latency.n, 99) === "p99") return { ...latency };
  return Object.fromEntries(
    Object.entries(latency)
      .filter(([key]) => key !== "p99_ms")
      .map(([key, value]) => [key.replaceAll("p99", "max"), value]),
  );
}

/** `${prefix}_p99${suffix}`, or `${prefix}_max${suffix}` below 100 samples (see reported). */
export const tailKey = (prefix: string, latency: Latency, suffix = "_ms") => `${prefix}_${percentileLabel(latency.n, 99)}${suffix}`;

export async function timed<T>(steps: Record<string, number>, label: string, run: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const started = performance.now();
  const result = await run();
  steps[label] = Math.round(performance.now() - started) / 1000;
  log(`${label}: ${steps[label]} s`);
  return result;
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const sumOf = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0);
