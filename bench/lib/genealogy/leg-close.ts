/**
 * The "derived" binary leg volumes at period close: read the placement edges in force at the period end and
 * the period's personal volumes, sum every subtree bottom-up in memory, and write left/right leg volumes for
 * every node in bulk. The reads and the write are the caller's (their table names differ); the timing and
 * the summing are shared.
 */
import { sumOf, timed } from "./measure";

export interface LegCloseIo {
  /** [child, parent, position] of every placement edge in force at the period end. */
  readEdges(): Promise<[string, string, number][]>;
  /** [distributor, personal volume in hundredths] of the period. */
  readVolumes(): Promise<[string, string][]>;
  /** Writes one chunk of leg volumes (left and right in hundredths). */
  write(ids: string[], left: number[], right: number[]): Promise<void>;
}

const WRITE_CHUNK = 100_000;

export async function closeLegVolumes(io: LegCloseIo, log: (line: string) => void): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const edges = await timed(steps, "read edges s", () => io.readEdges(), log);
  const volumes = await timed(steps, "read volumes s", () => io.readVolumes(), log);
  const legs = await timed(steps, "compute s", async () => sumLegs(edges, volumes), log);
  await timed(
    steps,
    "write s",
    async () => {
      for (let start = 0; start < legs.ids.length; start += WRITE_CHUNK) {
        const end = Math.min(legs.ids.length, start + WRITE_CHUNK);
        await io.write(legs.ids.slice(start, end), Array.from(legs.left.subarray(start, end)), Array.from(legs.right.subarray(start, end)));
      }
    },
    log,
  );
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  return { nodes: legs.ids.length, total_s: Math.round(sumOf(steps) * 100) / 100, ...steps, bench_process_rss_mb_after: rssMb };
}

/** Volumes are whole hundredths, far below 2^53 in total, so doubles sum them exactly. */
function sumLegs(edges: [string, string, number][], volumes: [string, string][]) {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const indexOf = (id: string) => {
    let found = index.get(id);
    if (found === undefined) {
      found = ids.length;
      index.set(id, found);
      ids.push(id);
    }
    return found;
  };
  const parentOf: number[] = [];
  const positionOf: number[] = [];
  for (const [child, parent, position] of edges) {
    const c = indexOf(child);
    parentOf[c] = indexOf(parent);
    positionOf[c] = position;
  }
  const personal = new Float64Array(ids.length);
  for (const [id, pv] of volumes) {
    const i = index.get(id);
    if (i !== undefined) personal[i] = Number(pv);
  }
  // A breadth-first order from the roots; reversed, it visits children before parents.
  const order: number[] = [];
  for (let i = 0; i < ids.length; i += 1) if (parentOf[i] === undefined) order.push(i);
  const children: number[][] = Array.from({ length: ids.length }, () => []);
  for (let c = 0; c < ids.length; c += 1) if (parentOf[c] !== undefined) children[parentOf[c]!]!.push(c);
  for (let head = 0; head < order.length; head += 1) for (const c of children[order[head]!]!) order.push(c);
  const subtree = Float64Array.from(personal);
  const left = new Float64Array(ids.length);
  const right = new Float64Array(ids.length);
  for (let k = order.length - 1; k >= 0; k -= 1) {
    const node = order[k]!;
    const parent = parentOf[node];
    if (parent === undefined) continue;
    subtree[parent]! += subtree[node]!;
    if (positionOf[node] === 0) left[parent]! += subtree[node]!;
    else right[parent]! += subtree[node]!;
  }
  return { ids, left, right };
}
