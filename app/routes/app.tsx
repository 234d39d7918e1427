import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticate } from "~/shopify.server";
import { config } from "~/config.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: config().SHOPIFY_API_KEY };
};

export default function AdminLayout() {
  const { apiKey } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/distributors">Distributors</Link>
        <Link to="/app/tree">Genealogy tree</Link>
        <Link to="/app/plans">Plans</Link>
        <Link to="/app/periods">Periods</Link>
        <Link to="/app/payouts">Payouts</Link>
        <Link to="/app/ledger">Ledger</Link>
        <Link to="/app/catalog">Catalog</Link>
        <Link to="/app/connections">Connections</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/events">Webhook events</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify's boundary keeps embedded-auth redirects and headers intact inside the admin iframe.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
