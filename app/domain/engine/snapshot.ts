/**
 * The evaluation snapshot: every input that produced an evaluation, JSON-ready (bigints as decimal strings),
 * so it can be stored beside the order and replayed byte for byte, and so a refund is reversed against what
 * was paid then, never against today's tree or plan.
 *
 * It is a pruned copy of the input: only the classes and SKU mappings the order used (the rest cannot change
 * the result), and no customer details. Built field by field, without JSON round trips, because it sits on
 * the engine's hot path.
 */
import { bigintReplacer } from "../money";
import type { Platform } from "../platforms/normalized";
import type { CommissionClass, SkuMapping } from "./class-schema";
import { toEngineOrder } from "./engine-order";
import type {
  BreakageLine,
  BuyerDistributor,
  CommissionLine,
  EvaluatedLine,
  EvaluationFlag,
  EvaluationInput,
  EvaluationResult,
  PlanVersionRef,
  ShopCommissionSettings,
  UplineNode,
} from "./types";

export const SNAPSHOT_FORMAT = "upline.evaluation/1";

export interface SnapshotOrderLine {
  readonly platformLineId: string;
  readonly sku: string | null;
  readonly platformVariantId: string | null;
  readonly quantity: number;
  readonly unitPriceMinor: string;
  readonly discountMinor: string;
  readonly taxMinor: string;
}

export interface SnapshotOrder {
  readonly orderId: string;
  readonly platform: Platform;
  readonly platformOrderId: string;
  readonly orderedAt: string;
  readonly currency: string;
  readonly shippingMinor: string;
  readonly taxMinor: string;
  readonly lines: readonly SnapshotOrderLine[];
}

export interface SnapshotUplineNode {
  readonly distributorId: string;
  readonly status: UplineNode["status"];
  readonly rank: string | null;
  readonly sponsorDepth: number;
  /** Written only for the shop's company node, so every other snapshot keeps its text. */
  readonly company?: true;
}

export interface SnapshotPlacementNode {
  readonly distributorId: string;
  readonly status: UplineNode["status"];
  readonly placementDepth: number;
  readonly company?: true;
}

/**
 * Format 1 grew two optional keys (placementUpline, buyer) when matrix and fast-start arrived: they are
 * written only when the input had them, so every snapshot stored before stays byte-identical and replays.
 */
export interface EvaluationSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly order: SnapshotOrder;
  readonly planVersion: PlanVersionRef;
  readonly catalog: {
    readonly defaultClassId: string;
    readonly classes: readonly CommissionClass[];
    readonly mappings: readonly SkuMapping[];
  };
  readonly upline: readonly SnapshotUplineNode[];
  readonly settings: ShopCommissionSettings;
  readonly placementUpline?: readonly SnapshotPlacementNode[];
  readonly buyer?: BuyerDistributor | null;
}

export function buildSnapshot(input: EvaluationInput, usedClasses: readonly CommissionClass[], usedMappings: readonly SkuMapping[]): EvaluationSnapshot {
  const { order } = input;
  const snapshot: { -readonly [K in keyof EvaluationSnapshot]: EvaluationSnapshot[K] } = {
    format: SNAPSHOT_FORMAT,
    order: {
      orderId: order.orderId,
      platform: order.platform,
      platformOrderId: order.platformOrderId,
      orderedAt: order.orderedAt,
      currency: order.currency,
      shippingMinor: order.shippingMinor.toString(),
      taxMinor: order.taxMinor.toString(),
      lines: order.lines.map((line) => ({
        platformLineId: line.platformLineId,
        sku: line.sku,
        platformVariantId: line.platformVariantId,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor.toString(),
        discountMinor: line.discountMinor.toString(),
        taxMinor: line.taxMinor.toString(),
      })),
    },
    planVersion: { id: input.planVersion.id, version: input.planVersion.version, rules: input.planVersion.rules },
    catalog: { defaultClassId: input.catalog.defaultClassId, classes: usedClasses, mappings: usedMappings },
    // Copied, so a later change to the caller's genealogy objects cannot reach a stored evaluation.
    upline: input.upline.map((node) => ({
      distributorId: node.distributorId,
      status: node.status,
      rank: node.rank ?? null,
      sponsorDepth: node.sponsorDepth,
      ...(node.company === true ? { company: true as const } : {}),
    })),
    settings: { includeShipping: input.settings.includeShipping, includeTax: input.settings.includeTax },
  };
  // Added after the older keys, and only when given, so older snapshots keep their exact text.
  if (input.placementUpline) {
    snapshot.placementUpline = input.placementUpline.map((node) => ({
      distributorId: node.distributorId,
      status: node.status,
      placementDepth: node.placementDepth,
      ...(node.company === true ? { company: true as const } : {}),
    }));
  }
  if (input.buyer !== undefined) {
    snapshot.buyer = input.buyer === null ? null : { distributorId: input.buyer.distributorId, enrolledAt: input.buyer.enrolledAt };
  }
  return snapshot;
}

/** The evaluation input a snapshot records; `evaluate(inputFromSnapshot(s))` reproduces the original result. */
export function inputFromSnapshot(snapshot: EvaluationSnapshot): EvaluationInput {
  if (snapshot.format !== SNAPSHOT_FORMAT) throw new RangeError(`unknown snapshot format "${String(snapshot.format)}"`);
  return {
    order: toEngineOrder(snapshot.order),
    planVersion: snapshot.planVersion,
    catalog: snapshot.catalog,
    upline: snapshot.upline,
    settings: snapshot.settings,
    ...(snapshot.placementUpline ? { placementUpline: snapshot.placementUpline } : {}),
    ...(snapshot.buyer !== undefined ? { buyer: snapshot.buyer } : {}),
  };
}

/** Serializes a whole evaluation for storage (bigints as strings). Deterministic: same result → same text. */
export function evaluationToJson(result: EvaluationResult): string {
  return JSON.stringify(result, bigintReplacer);
}

/** Reads back what evaluationToJson wrote, restoring bigint fields, e.g. to reverse a refund later. */
export function evaluationFromJson(text: string): EvaluationResult {
  const raw = JSON.parse(text) as Record<string, unknown> & EvaluationResult;
  const totals = raw.totals as unknown as Record<keyof EvaluationResult["totals"], string>;
  return {
    ...raw,
    orderLines: raw.orderLines.map((line): EvaluatedLine => ({
      ...line,
      netMinor: BigInt(line.netMinor),
      shippingShareMinor: BigInt(line.shippingShareMinor),
      taxShareMinor: BigInt(line.taxShareMinor),
      baseMinor: BigInt(line.baseMinor),
      pvHundredths: BigInt(line.pvHundredths),
      cvHundredths: BigInt(line.cvHundredths),
    })),
    lines: raw.lines.map((line): CommissionLine => ({ ...line, amountMinor: BigInt(line.amountMinor), basisMinor: BigInt(line.basisMinor) })),
    breakage: raw.breakage.map((line): BreakageLine => ({ ...line, amountMinor: BigInt(line.amountMinor), basisMinor: BigInt(line.basisMinor) })),
    flags: raw.flags.map((flag): EvaluationFlag => (flag.type === "negative_net_amount" ? { ...flag, netMinor: BigInt(flag.netMinor) } : flag)),
    totals: {
      baseMinor: BigInt(totals.baseMinor),
      paidMinor: BigInt(totals.paidMinor),
      breakageMinor: BigInt(totals.breakageMinor),
      pvHundredths: BigInt(totals.pvHundredths),
      cvHundredths: BigInt(totals.cvHundredths),
    },
  };
}
