/**
 * The genealogy explorer's sponsor tree: one node's direct recruits at a time (the browser asks for a node's
 * children when it is opened, so a downline of 100,000 is never loaded at once), through downlinePage (depth 1,
 * keyset pages of 50), each child with its name and how many recruits it has in turn (whether it can open).
 */
import { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/db/tx.server";
import type { Db } from "~/db.server";
import { listDistributors } from "~/services/genealogy/distributors.server";
import { isUuid } from "~/services/genealogy/lookup.server";
import { downlinePage, uplineDetailsAt, type DownlineCursor } from "~/services/genealogy/queries.server";

export interface TreeNode {
  id: string;
  code: string;
  name: string | null;
  email: string | null;
  status: "active" | "inactive" | "terminated";
  recruits: number;
  isCompanyNode: boolean;
}

export interface TreeChildren {
  parent: TreeNode | null;
  children: TreeNode[];
  next: string | null;
}

const cursorText = (cursor: DownlineCursor) => `${cursor.level}:${cursor.distributorId}`;
function parseCursor(text: string | null | undefined): DownlineCursor | null {
  const match = /^(\d{1,2}):([0-9a-f-]{36})$/i.exec(text ?? "");
  return match ? { level: Number(match[1]), distributorId: match[2]!.toLowerCase() } : null;
}

async function nodes(client: DbOrTx, shopId: string, ids: readonly string[], at: Date): Promise<Map<string, TreeNode>> {
  if (ids.length === 0) return new Map();
  // The recruit count is a count of the node's edges in force (index shopId, sponsorId, validFrom); capped so a
  // frontline of 100,000 costs what 1,001 does: the page says "1,000+".
  const rows = await client.$queryRaw<(Omit<TreeNode, "recruits" | "status"> & { recruits: number; status: string | null })[]>`
    SELECT d."id", d."code", d."name", d."email", d."isCompanyNode",
      (SELECT s."status"::text FROM "DistributorStatusPeriod" s WHERE s."shopId" = ${shopId}::uuid AND s."distributorId" = d."id"
         AND s."validFrom" <= ${at} ORDER BY s."validFrom" DESC LIMIT 1) AS status,
      (SELECT count(*)::int FROM (SELECT 1 FROM "SponsorEdge" e WHERE e."shopId" = ${shopId}::uuid AND e."sponsorId" = d."id"
         AND e."validFrom" <= ${at} AND (e."validTo" IS NULL OR e."validTo" > ${at}) LIMIT 1001) c) AS recruits
    FROM "Distributor" d
    WHERE d."shopId" = ${shopId}::uuid AND d."id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
  return new Map(rows.map((row) => [row.id, { ...row, status: (row.status ?? "active") as TreeNode["status"] }]));
}

/** `parentId` null: the shop's company node, the root every sponsor line ends at. */
export async function treeChildren(client: DbOrTx, shopId: string, parentId: string | null, after?: string | null, at = new Date()): Promise<TreeChildren> {
  const root = parentId
    ? await client.distributor.findFirst({ where: { shopId, id: parentId }, select: { id: true } })
    : await client.distributor.findFirst({ where: { shopId, isCompanyNode: true }, select: { id: true } });
  if (!root) return { parent: null, children: [], next: null };
  const page = await downlinePage(client, shopId, root.id, at, 1, parseCursor(after));
  const found = await nodes(client, shopId, [root.id, ...page.members.map((member) => member.distributorId)], at);
  return {
    parent: found.get(root.id) ?? null,
    children: page.members.map((member) => found.get(member.distributorId)).filter((node): node is TreeNode => node !== undefined),
    next: page.next ? cursorText(page.next) : null,
  };
}

export interface TreeExplorer {
  root: TreeChildren;
  /** The root's sponsors up to the company, nearest first (empty for the company node). */
  upline: { id: string; code: string; isCompanyNode: boolean }[];
  /** Search results by code, name or e-mail (null: no search). */
  results: { id: string; code: string; name: string | null; email: string | null }[] | null;
}

/** The explorer page: the tree rooted at `node` (default: the company), its upline as breadcrumbs, and a search. */
export async function treeExplorer(client: Db, shopId: string, params: URLSearchParams, now = new Date()): Promise<TreeExplorer> {
  const node = params.get("node");
  const q = params.get("q")?.trim() ?? "";
  const [root, results] = await Promise.all([
    treeChildren(client, shopId, node && isUuid(node) ? node : null, params.get("after"), now),
    q ? listDistributors(client, shopId, { search: q.slice(0, 200), limit: 20 }) : Promise.resolve(null),
  ]);
  const upline = root.parent && !root.parent.isCompanyNode ? await uplineDetailsAt(client, shopId, root.parent.id, now, 10) : [];
  return {
    root,
    upline: upline.map((entry) => ({ id: entry.distributorId, code: entry.code, isCompanyNode: entry.isCompanyNode })),
    results: results ? results.items.map((item) => ({ id: item.id, code: item.code, name: item.name, email: item.email })) : null,
  };
}
