/**
 * The portal as Liquid for Shopify's app proxy: server-rendered HTML that the shop's theme wraps in its own
 * layout, so it looks like the store and needs no script of ours on the storefront. React escapes the HTML;
 * braces are escaped here as well, so nothing a person typed (a name) can ever be read as Liquid.
 */
import { renderToStaticMarkup } from "react-dom/server";
import type { PortalView } from "~/services/portal/portal-view.server";
import { PortalPayoutSections } from "./portal-payouts-markup.server";

const STYLE = `<style>
.upline-portal{max-width:48rem;margin:2rem auto;padding:0 1rem;font:inherit}
.upline-portal table{width:100%;border-collapse:collapse}
.upline-portal th,.upline-portal td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid rgba(0,0,0,.1)}
.upline-portal td.amount,.upline-portal th.amount{text-align:right;font-variant-numeric:tabular-nums}
.upline-portal input[readonly]{width:100%;padding:.5rem}
</style>`;

/** `proxyPath`: where the storefront serves the portal (Shopify's `path_prefix`), for the links it renders. */
function Portal({ view, proxyPath }: { view: PortalView; proxyPath: string }) {
  if (view.kind === "signed_out") {
    return (
      <section className="upline-portal">
        <h1>Affiliate portal</h1>
        <p>
          <a href={`/account/login?return_url=${encodeURIComponent(proxyPath)}`}>Log in</a> to see your earnings and your referral link.
        </p>
      </section>
    );
  }
  if (view.kind === "not_enrolled") {
    return (
      <section className="upline-portal">
        <h1>Affiliate portal</h1>
        <p>Your account is not an affiliate of this store yet. Join to get your own referral link.</p>
        {view.error ? (
          <p role="alert" data-upline="error">
            {view.error}
          </p>
        ) : null}
        <form method="post" action={proxyPath}>
          <label>
            Referral code of the person who invited you (optional)
            <input name="sponsor" defaultValue={view.sponsorCode ?? ""} maxLength={64} />
          </label>
          <button type="submit">Join</button>
        </form>
      </section>
    );
  }
  return (
    <section className="upline-portal">
      <h1>{view.name ? `Welcome, ${view.name}` : "Your affiliate account"}</h1>
      <p>
        Your code: <strong data-upline="code">{view.code}</strong>
        {view.status === "active" ? null : <> (status: {view.status})</>}
      </p>
      <label>
        Your referral link
        <input readOnly value={view.referralLink} data-upline="referral-link" />
      </label>
      <h2>Balance</h2>
      {view.balances.length === 0 ? (
        <p>No earnings yet.</p>
      ) : (
        <table data-upline="balances">
          <thead>
            <tr>
              <th>Currency</th>
              <th className="amount">Pending</th>
              <th className="amount">Available</th>
            </tr>
          </thead>
          <tbody>
            {view.balances.map((balance) => (
              <tr key={balance.currency}>
                <td>{balance.currency}</td>
                <td className="amount">{balance.pending}</td>
                <td className="amount">{balance.available}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Your team</h2>
      {view.downline.length === 0 ? (
        <p>No one has joined through your link yet.</p>
      ) : (
        <table data-upline="downline">
          <thead>
            <tr>
              <th>Level</th>
              <th className="amount">Members</th>
            </tr>
          </thead>
          <tbody>
            {view.downline.map((level) => (
              <tr key={level.level}>
                <td>{level.level}</td>
                <td className="amount">{level.members}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>Earnings stay pending until the store&apos;s refund window has passed, then become available.</p>
      <PortalPayoutSections payouts={view.payouts} notice={view.notice} />
      {view.earnings.length === 0 ? null : (
        <>
          <h2>Latest earnings</h2>
          <table data-upline="earnings">
            <thead>
              <tr>
                <th>Date</th>
                <th>What</th>
                <th className="amount">Amount</th>
              </tr>
            </thead>
            <tbody>
              {view.earnings.map((earning, index) => (
                <tr key={index}>
                  <td>{earning.occurredAt.slice(0, 10)}</td>
                  <td>{earning.label}</td>
                  <td className="amount">
                    {earning.amount} {earning.currency}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function portalMarkup(view: PortalView, proxyPath: string): string {
  const html = renderToStaticMarkup(<Portal view={view} proxyPath={proxyPath} />)
    .replaceAll("{", "&#123;")
    .replaceAll("}", "&#125;");
  return `${STYLE}\n${html}`;
}
