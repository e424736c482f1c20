import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { useShopifyBackfill, useShopifyConnection, useShopifyInstall } from '../../hooks/useShopifyConnection';
import { Card } from '../ui/Card';
import { QueryView } from '../ui/QueryView';

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

interface Props {
  storeId: string;
  /** where the browser goes for Shopify's consent (tests pass a spy) */
  navigate?: (url: string) => void;
}

/** Connect Shopify (the app install) and follow the history import. */
export function ShopifyConnectCard({ storeId, navigate }: Props) {
  const connection = useShopifyConnection(storeId);
  const install = useShopifyInstall(storeId, navigate);
  const backfill = useShopifyBackfill(storeId);
  const [shop, setShop] = useState('');
  const inputId = useId();
  const hintId = useId();
  const headingId = useId();
  const normalised = shop.trim().toLowerCase();
  const valid = SHOP_DOMAIN.test(normalised);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) install.mutate(normalised);
  };

  return (
    <Card title="Shopify" headingId={headingId} description="Orders and fulfillments from your shop, with 90 days of history.">
      <QueryView query={connection} errorTitle="Couldn’t load the Shopify connection" compact>
        {(data) => {
          const importing = data.backfill;
          const total = importing?.objectCount ?? null;
          // Until Shopify's bulk operation completes, the number of orders is not known.
          const preparing = total === null && (importing?.status === 'pending' || importing?.status === 'running');
          return (
            <div className="space-y-4 text-sm">
              {data.connected ? (
                <p>
                  Connected to <strong>{data.shop}</strong> ({data.webhookTopics?.length ?? 0} webhook topics, API {data.apiVersion}).
                </p>
              ) : !data.appConfigured ? (
                <p className="text-slate-600">
                  The Shopify app is not set up on this server: set WISMO_SHOPIFY_API_KEY and WISMO_SHOPIFY_API_SECRET, or paste a custom
                  app’s webhook secret instead.
                </p>
              ) : (
                <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
                  <div className="flex min-w-60 flex-col gap-1">
                    <label htmlFor={inputId} className="font-medium text-slate-700">
                      Shop domain
                    </label>
                    <input
                      id={inputId}
                      value={shop}
                      onChange={(e) => setShop(e.target.value)}
                      placeholder="your-store.myshopify.com"
                      aria-describedby={hintId}
                      aria-invalid={shop !== '' && !valid}
                      className="rounded-md border border-slate-300 px-2 py-1.5"
                    />
                    <span id={hintId} className="text-xs text-slate-500">
                      {shop !== '' && !valid ? 'Enter the shop’s .myshopify.com domain' : 'You approve the access on Shopify'}
                    </span>
                  </div>
                  <button
                    type="submit"
                    disabled={!valid || install.isPending}
                    className="rounded-md bg-emerald-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
                  >
                    {install.isPending ? 'Opening Shopify…' : 'Connect Shopify'}
                  </button>
                </form>
              )}
              {install.isError && (
                <p role="alert" className="text-red-700">
                  {errorMessage(install.error)}
                </p>
              )}
              {importing && (
                <div>
                  <p id={`${headingId}-import`} className="font-medium text-slate-700">
                    History import ({importing.days} days): {importing.status}
                  </p>
                  <progress
                    aria-labelledby={`${headingId}-import`}
                    className="mt-1 w-full"
                    value={preparing ? undefined : importing.linesDone}
                    max={total ?? undefined}
                  />
                  <p className="text-slate-600">
                    {preparing ? (
                      'Shopify is preparing the orders…'
                    ) : (
                      <>
                        {importing.ordersDone} orders imported
                        {total !== null ? ` of ${total}` : ''}
                        {importing.ordersFailed ? `, ${importing.ordersFailed} skipped` : ''}
                      </>
                    )}
                  </p>
                  {importing.error && (
                    <p role="alert" className="text-red-700">
                      {importing.error}
                    </p>
                  )}
                </div>
              )}
              {data.connected && importing?.status !== 'running' && importing?.status !== 'pending' && (
                <button
                  type="button"
                  onClick={() => backfill.mutate(90)}
                  disabled={backfill.isPending}
                  className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700"
                >
                  Import the last 90 days again
                </button>
              )}
              {backfill.isError && (
                <p role="alert" className="text-red-700">
                  {errorMessage(backfill.error)}
                </p>
              )}
            </div>
          );
        }}
      </QueryView>
    </Card>
  );
}
