/** The commission engine's public surface: services import from here. */
export { evaluate } from "./evaluate";
export {
  reverseForRefund,
  reversalEntryKey,
  NOTHING_REVERSED,
  type OriginalEvaluation,
  type RefundForReversal,
  type RefundedLineSummary,
  type ReversalFlag,
  type ReversalInput,
  type ReversalLine,
  type ReversalProgress,
  type ReversalResult,
} from "../refunds/reversal";
export {
  MAX_UNILEVEL_DEPTH,
  PER_ORDER_COMPONENT_TYPES,
  PERIOD_COMPONENT_TYPES,
  classesPaidBy,
  isPerOrderComponent,
  isPeriodComponent,
  placementLevelsNeeded,
  uplineLevelsNeeded,
  parsePlanRules,
  validatePlanRules,
  planClassesMissingFrom,
  planRulesSchema,
  planComponentSchema,
  rateSchema,
  PlanValidationError,
  type PlanComponent,
  type PlanComponentType,
  type PlanIssue,
  type PlanRules,
  type PlanValidation,
  type Rate,
  type UnilevelComponent,
  type MatrixComponent,
  type FastStartComponent,
  type BinaryComponent,
  type RankComponent,
  type MatchingComponent,
  type RankAdvancementComponent,
  type PerOrderComponent,
  type PeriodComponent,
  type PeriodSchedule,
} from "./plan-schema";
export { planInForce, type PlanVersion } from "./plan-versions";
export { uplineDepthToLoad } from "./upline-depth";
export { commissionClassSchema, skuMappingSchema, volumeRuleSchema } from "./class-schema";
export { resolveCommissionClass, type ClassResolution, type CommissionCatalog, type CommissionClass, type SkuMapping, type VolumeRule } from "./classes";
export { computeCommissionBases, netLineAmount, type LineBase } from "./commission-base";
export { hundredthsToPoints, VOLUME_SCALE } from "./volumes";
export { buildSnapshot, evaluationFromJson, evaluationToJson, inputFromSnapshot, SNAPSHOT_FORMAT, type EvaluationSnapshot } from "./snapshot";
export { EngineInputError } from "./errors";
export { toEngineOrder, type EngineOrderSource } from "./engine-order";
export type { RankDefinition } from "./period-component-schemas";
export type * from "./types";
export { droppedByCurrencyMismatch, type DroppedAmount } from "./dropped-money";
export { checkOrderRefunds, type OrderRefundCheck, type PlatformRefundSeen, type RefundGap, type RefundGapKind } from "../refunds/refund-gaps";
