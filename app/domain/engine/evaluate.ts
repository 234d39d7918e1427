/**
 * The engine entry: one order, one plan version, one upline snapshot → commission lines, breakage, flags and
 * the snapshot that replays it. Pure and deterministic: same input, byte-identical output (evaluationToJson).
 *
 * Steps: each order line gets its commission class (unmapped SKUs fall back to the default class and are
 * flagged), its money base and its volumes; then every plan component runs, in plan order, over those lines
 * and the upline. Rounding happens only inside rates.ts's awardMinor, once per (line × recipient × rule).
 */
import { currencyExponent } from "../money";
import type { CommissionClass, SkuMapping } from "./class-schema";
import { resolveCommissionClass } from "./classes";
import { computeCommissionBases } from "./commission-base";
import { companyNodeIds, withholdFromCompanyNode } from "./company-node";
import { evaluateComponent } from "./components";
import { EngineInputError } from "./errors";
import { isPerOrderComponent } from "./plan-schema";
import { buildSnapshot } from "./snapshot";
import type {
  BreakageLine,
  CommissionLine,
  ComponentContext,
  ComponentSnapshot,
  EvaluatedLine,
  EvaluationFlag,
  EvaluationInput,
  EvaluationResult,
} from "./types";
import { lineVolumeHundredths } from "./volumes";

export function evaluate(input: EvaluationInput): EvaluationResult {
  checkInput(input);
  const { order, catalog } = input;
  const currency = order.currency;
  const minorPerMajor = 10n ** BigInt(currencyExponent(currency));
  const bases = computeCommissionBases(order, input.settings);

  const defaultClass = findClass(catalog.classes, catalog.defaultClassId, "catalog.defaultClassId");
  const usedClasses: CommissionClass[] = [defaultClass];
  const usedMappings: SkuMapping[] = [];
  const flags: EvaluationFlag[] = [];
  let pvTotal = 0n;
  let cvTotal = 0n;
  let baseTotal = 0n;

  const orderLines = order.lines.map((line, index): EvaluatedLine => {
    const resolution = resolveCommissionClass(line, order.platform, catalog);
    const commissionClass =
      resolution.mapping === null ? defaultClass : findClass(catalog.classes, resolution.classId, `catalog.mappings (${line.sku ?? line.platformVariantId})`);
    if (resolution.mapping === null) {
      flags.push({
        type: "unmapped_sku",
        orderLineId: line.platformLineId,
        sku: line.sku,
        platformVariantId: line.platformVariantId,
        classId: commissionClass.id,
      });
    } else if (!usedMappings.includes(resolution.mapping)) {
      usedMappings.push(resolution.mapping);
    }
    if (!usedClasses.includes(commissionClass)) usedClasses.push(commissionClass);

    const base = bases[index]!;
    if (base.netMinor < 0n) {
      flags.push({ type: "negative_net_amount", orderLineId: line.platformLineId, netMinor: base.netMinor });
    }
    const pvHundredths = lineVolumeHundredths(commissionClass.pv, line.quantity, base.netMinor, minorPerMajor);
    const cvHundredths = lineVolumeHundredths(commissionClass.cv, line.quantity, base.netMinor, minorPerMajor);
    pvTotal += pvHundredths;
    cvTotal += cvHundredths;
    baseTotal += base.baseMinor;
    return {
      orderLineId: line.platformLineId,
      sku: line.sku,
      platformVariantId: line.platformVariantId,
      quantity: line.quantity,
      classId: commissionClass.id,
      classMatchedBy: resolution.matchedBy,
      netMinor: base.netMinor,
      shippingShareMinor: base.shippingShareMinor,
      taxShareMinor: base.taxShareMinor,
      baseMinor: base.baseMinor,
      pvHundredths,
      cvHundredths,
    };
  });

  if (input.upline.length === 0) flags.push({ type: "no_attributed_distributor" });

  const context: ComponentContext = {
    orderId: order.orderId,
    currency,
    at: order.orderedAt,
    lines: orderLines,
    upline: input.upline,
    placementUpline: input.placementUpline,
    buyer: input.buyer ?? null,
    rounding: input.planVersion.rules.rounding ?? "half_even",
  };
  const lines: CommissionLine[] = [];
  const breakage: BreakageLine[] = [];
  const components: ComponentSnapshot[] = [];
  let paidTotal = 0n;
  let breakageTotal = 0n;
  const companyIds = companyNodeIds(input.upline, input.placementUpline);
  for (const component of input.planVersion.rules.components) {
    // Period components (binary, rank, matching, rank advancement) are paid when the period closes.
    if (!isPerOrderComponent(component)) continue;
    const output = withholdFromCompanyNode(evaluateComponent(component, context), companyIds);
    for (const line of output.lines) {
      lines.push(line);
      paidTotal += line.amountMinor;
    }
    for (const line of output.breakage) {
      breakage.push(line);
      breakageTotal += line.amountMinor;
    }
    for (const flag of output.flags) flags.push(flag);
    components.push(output.snapshot);
  }

  return {
    orderId: order.orderId,
    currency,
    planVersionId: input.planVersion.id,
    orderLines,
    lines,
    breakage,
    flags,
    components,
    totals: {
      baseMinor: baseTotal,
      paidMinor: paidTotal,
      breakageMinor: breakageTotal,
      pvHundredths: pvTotal,
      cvHundredths: cvTotal,
    },
    snapshot: buildSnapshot(input, usedClasses, usedMappings),
  };
}

function findClass(classes: readonly CommissionClass[], classId: string, field: string): CommissionClass {
  for (const commissionClass of classes) if (commissionClass.id === classId) return commissionClass;
  throw new EngineInputError(field, `commission class "${classId}" is not in catalog.classes`);
}

/** Cheap structural checks that, if broken, would make the money wrong rather than merely odd. */
function checkInput({ order, upline, placementUpline, buyer }: EvaluationInput): void {
  if (!/^[A-Z]{3}$/.test(order.currency)) {
    throw new EngineInputError("order.currency", `"${order.currency}" is not a normalized ISO 4217 code`);
  }
  const lineIds = new Set<string>();
  order.lines.forEach((line, index) => {
    // Refunds and reversal progress are keyed by line id, so two lines with one id would share a refund.
    if (lineIds.has(line.platformLineId)) {
      throw new EngineInputError(`order.lines[${index}].platformLineId`, `"${line.platformLineId}" appears twice`);
    }
    lineIds.add(line.platformLineId);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw new EngineInputError(`order.lines[${index}].quantity`, `${line.quantity} is not a whole number ≥ 0`);
    }
  });
  checkChain(upline, "upline", (node) => node.sponsorDepth, "sponsorDepth", "upline[0] is the attributed distributor");
  if (placementUpline) {
    checkChain(placementUpline, "placementUpline", (node) => node.placementDepth, "placementDepth", "placementUpline[0] is where the chain starts");
  }
  if (buyer && Number.isNaN(Date.parse(buyer.enrolledAt))) {
    throw new EngineInputError("buyer.enrolledAt", `"${buyer.enrolledAt}" is not an ISO 8601 instant`);
  }
}

function checkChain<N extends { readonly distributorId: string }>(
  chain: readonly N[],
  field: string,
  depthOf: (node: N) => number,
  depthField: string,
  startHint: string,
): void {
  const distributorIds = new Set<string>();
  chain.forEach((node, index) => {
    // A distributor twice on one chain is a cycle in the tree: they would be paid twice.
    if (distributorIds.has(node.distributorId)) {
      throw new EngineInputError(`${field}[${index}].distributorId`, `"${node.distributorId}" appears twice`);
    }
    distributorIds.add(node.distributorId);
    const depth = depthOf(node);
    const below = chain[index - 1];
    if (!Number.isSafeInteger(depth) || depth < 0 || (below && depth >= depthOf(below))) {
      throw new EngineInputError(`${field}[${index}].${depthField}`, `must be a whole number ≥ 0 that decreases up the chain (${startHint})`);
    }
  });
}
