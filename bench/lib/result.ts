import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The one shape every benchmark writes (DESIGN.md §8), so history in bench/results/ compares like with like. */
export interface BenchResult {
  name: string;
  when: string;
  machine: { cpus: number; node: string; postgres: string; redis: string };
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  baseline: Record<string, unknown> & { name: string };
  ratios: Record<string, number>;
  targets?: Record<string, string>;
}

function versionOf(command: string, args: string[], pattern: RegExp): string {
  try {
    return pattern.exec(execFileSync(command, args, { encoding: "utf8" }))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function machine(): BenchResult["machine"] {
  return {
    cpus: os.cpus().length,
    node: process.version,
    postgres: versionOf("psql", ["--version"], /(\d+\.\d+)/),
    redis: versionOf("redis-server", ["--version"], /v=(\d+\.\d+\.\d+)/),
  };
}

export function writeResult(result: BenchResult): string {
  const file = path.resolve("bench", "results", `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Nearest-rank percentile `p` (0-100) of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * What a nearest-rank percentile of `samples` values is: "p99" from 100 samples on; below that the 99th
 * percentile IS the largest sample, and is reported as "max" (a p99 of 20 samples would claim a tail it never saw).
 */
export function percentileLabel(samples: number, p: number): string {
  return samples > 0 && Math.ceil((p / 100) * samples) >= samples && p > 50 ? "max" : `p${p}`;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Peak resident set size of a process, from the kernel's high-water mark. */
export function peakRssMb(pid: number): number {
  try {
    const status = execFileSync("cat", [`/proc/${pid}/status`], { encoding: "utf8" });
    const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
    return round(kb / 1024, 1);
  } catch {
    return Number.NaN;
  }
}
