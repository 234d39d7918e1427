/**
 * Amounts in a plan that the shop cannot pay: every `currency` a plan version states (fixed rates, period
 * bonuses, minimum payouts, caps) that is not the shop's. The engine and the period close skip such amounts
 * (flags rate_currency_mismatch / currency_mismatch), so the merchant must see them before they are skipped.
 * The plan format is walked as plain JSON so a component type added later is covered without a change here.
 */
export interface PlanCurrencyMismatch {
  /** Where in the plan rules, e.g. "components[2].bonus.currency". */
  readonly path: string;
  readonly currency: string;
}

export function planCurrencyMismatches(rules: unknown, shopCurrency: string): PlanCurrencyMismatch[] {
  const found: PlanCurrencyMismatch[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key === "currency" && typeof child === "string" && child.toUpperCase() !== shopCurrency.toUpperCase()) {
        found.push({ path: childPath, currency: child.toUpperCase() });
      } else {
        walk(child, childPath);
      }
    }
  };
  walk(rules, "");
  return found;
}
