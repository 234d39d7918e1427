/** The genealogy explorer page's loader and action: the tree (or one node's children, for the lazy fetch) and a move. */
import type { Db } from "~/db.server";
import { isUuid } from "~/services/genealogy/lookup.server";
import { moveFromForm, type FormOutcome } from "./distributors.server";
import { treeChildren, treeExplorer, type TreeChildren, type TreeExplorer } from "./tree.server";

export async function treeLoader(client: Db, shopId: string, params: URLSearchParams): Promise<TreeExplorer | { children: TreeChildren }> {
  const children = params.get("children");
  if (children !== null) {
    return { children: isUuid(children) ? await treeChildren(client, shopId, children, params.get("after")) : { parent: null, children: [], next: null } };
  }
  return treeExplorer(client, shopId, params);
}

/** Moves the explorer's selected distributor through the same form service as the distributor page (cycle check included). */
export async function treeAction(client: Db, shopId: string, form: FormData, actor: string): Promise<FormOutcome> {
  const distributorId = String(form.get("distributorId") ?? "");
  const found = isUuid(distributorId)
    ? await client.distributor.findFirst({ where: { shopId, id: distributorId, isCompanyNode: false }, select: { id: true } })
    : null;
  if (!found) return { ok: false, errors: { form: "This distributor is not in the shop any more." } };
  return moveFromForm(client, shopId, found.id, form, actor);
}
