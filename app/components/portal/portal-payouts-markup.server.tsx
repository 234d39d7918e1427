/**
 * The portal's payout sections (server-rendered into the Liquid page by portal-markup.server.tsx): the next
 * expected payout, the payout method form and the payout history. Plain HTML forms post back to the app proxy.
 */
import type { PortalPayouts } from "~/services/portal/portal-payouts.server";
import { methodWords } from "~/services/portal/portal-payouts.server";

export function PortalPayoutSections({ payouts, notice }: { payouts: PortalPayouts; notice?: { ok: boolean; message: string } }) {
  const method = payouts.method;
  return (
    <>
      <h2>Next payout</h2>
      {payouts.next.length === 0 ? (
        <p>Nothing available to pay yet.</p>
      ) : (
        <table data-upline="next-payout">
          <thead>
            <tr>
              <th>Currency</th>
              <th className="amount">Available</th>
              <th className="amount">Minimum payout</th>
              <th>Next run</th>
            </tr>
          </thead>
          <tbody>
            {payouts.next.map((next) => (
              <tr key={next.currency}>
                <td>{next.currency}</td>
                <td className="amount">{next.available}</td>
                <td className="amount">{next.minimum}</td>
                <td>{next.due ? "Included" : next.heldReason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p data-upline="next-date">
        {payouts.nextDate ? `The store's next payout run is on ${payouts.nextDate}.` : "The store pays out by hand, on dates it chooses."}
      </p>

      <h2>How you are paid</h2>
      {notice ? (
        <p role={notice.ok ? "status" : "alert"} data-upline={notice.ok ? "saved" : "error"}>
          {notice.message}
        </p>
      ) : null}
      <p data-upline="payout-method">
        {method
          ? `${methodWords(method.kind)}${method.destination ? ` (${method.destination})` : ""}${method.onHold ? " — on hold" : ""}`
          : "No payout method yet."}
      </p>
      <form method="post" action="/apps/upline" data-upline="payout-method-form">
        <input type="hidden" name="intent" value="payout_method" />
        <fieldset>
          <legend>Pay me by</legend>
          <label>
            <input type="radio" name="method" value="paypal" defaultChecked={method?.kind !== "store_credit"} /> PayPal, to this e-mail address:
          </label>
          <input type="email" name="paypal_email" autoComplete="email" maxLength={320} aria-label="PayPal e-mail address" />
          <label>
            <input type="radio" name="method" value="store_credit" defaultChecked={method?.kind === "store_credit"} /> Store credit on my account here
          </label>
        </fieldset>
        <button type="submit">Save payout method</button>
      </form>

      <h2>Payout history</h2>
      {payouts.history.length === 0 ? (
        <p>No payouts yet.</p>
      ) : (
        <table data-upline="payouts">
          <thead>
            <tr>
              <th>Date</th>
              <th>Method</th>
              <th>Status</th>
              <th className="amount">Amount</th>
            </tr>
          </thead>
          <tbody>
            {payouts.history.map((row, index) => (
              <tr key={index}>
                <td>{row.date}</td>
                <td>{row.method}</td>
                <td>{row.status}</td>
                <td className="amount">
                  {row.amount} {row.currency}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
