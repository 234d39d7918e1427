/** Period close, its parts and the what-if: the public surface the services import. */
export { closePeriod } from "./close";
export { periodCorrections, type PeriodCorrectionInput } from "./corrections";
export { periodContaining, nextPeriod } from "./calendar";
export { periodLineKey, periodCorrectionKey } from "./keys";
export { periodInputFromSnapshot, periodResultToJson } from "./snapshot";
export { orderVolumeOwner, PeriodOrderInputsBuilder, type PeriodOrderInputs, type RecordedReversal } from "./order-inputs";
export { whatIf, DRAFT_PLAN_VERSION_ID, type WhatIfInput, type WhatIfOrder, type WhatIfResult } from "./what-if";
export { PeriodInputError } from "./errors";
export { netPayouts, type CurrencyAmount, type NettedPayout, type NettingInput, type PayoutDecisionKind } from "./payout-netting";
export type * from "./types";
export { PERIOD_SNAPSHOT_FORMAT } from "./types";
