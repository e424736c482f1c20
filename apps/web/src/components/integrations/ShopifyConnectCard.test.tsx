import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithApp, sent } from '../../test/utils';
import { ShopifyConnectCard } from './ShopifyConnectCard';

afterEach(() => vi.unstubAllGlobals());

const NOT_CONNECTED = { appConfigured: true, connected: false, webhookTopics: [], backfill: null };

describe('ShopifyConnectCard', () => {
  it('checks the shop domain, then sends the browser to the consent URL', async () => {
    const consent = 'https://north.myshopify.com/admin/oauth/authorize?client_id=x';
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse(NOT_CONNECTED))
      .mockResolvedValueOnce(jsonResponse({ authorizeUrl: consent }));
    vi.stubGlobal('fetch', fetchMock);
    const navigate = vi.fn();
    renderWithApp(<ShopifyConnectCard storeId="store-1" navigate={navigate} />);

    const input = await screen.findByLabelText('Shop domain');
    const button = screen.getByRole('button', { name: 'Connect Shopify' });
    fireEvent.change(input, { target: { value: 'north.example.com' } });
    expect(button).toBeDisabled();
    expect(screen.getByText('Enter the shop’s .myshopify.com domain')).toBeInTheDocument();
    fireEvent.change(input, { target: { value: ' North.myshopify.com ' } });
    fireEvent.click(button);

    await waitFor(() => expect(navigate).toHaveBeenCalledWith(consent));
    const install = sent(fetchMock.mock.calls[1]);
    expect(install.url).toBe('/api/v1/integrations/shopify/install');
    expect(await install.request.json()).toEqual({ shop: 'north.myshopify.com' });
  });

  it('shows the import progress of a connected shop', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        jsonResponse({
          appConfigured: true,
          connected: true,
          shop: 'north.myshopify.com',
          apiVersion: '2025-01',
          webhookTopics: ['ORDERS_CREATE', 'APP_UNINSTALLED'],
          backfill: {
            id: 'b1',
            status: 'running',
            days: 90,
            since: '2026-09-01T00:00:00Z',
            linesDone: 250,
            objectCount: 1000,
            ordersDone: 249,
            ordersFailed: 1,
            error: null,
            startedAt: null,
            finishedAt: null,
          },
        }),
      ),
    );
    renderWithApp(<ShopifyConnectCard storeId="store-1" />);
    expect(await screen.findByText('north.myshopify.com')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'History import (90 days): running' });
    expect(bar).toHaveAttribute('value', '250');
    expect(bar).toHaveAttribute('max', '1000');
    expect(screen.getByText('249 orders imported of 1000, 1 skipped')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import the last 90 days again' })).not.toBeInTheDocument();
  });

  it('says Shopify is preparing the orders until their number is known', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        jsonResponse({
          appConfigured: true,
          connected: true,
          shop: 'north.myshopify.com',
          apiVersion: '2025-01',
          webhookTopics: ['ORDERS_CREATE'],
          backfill: {
            id: 'b1',
            status: 'running',
            days: 90,
            since: '2026-09-01T00:00:00Z',
            linesDone: 0,
            objectCount: null,
            ordersDone: 0,
            ordersFailed: 0,
            error: null,
            startedAt: null,
            finishedAt: null,
          },
        }),
      ),
    );
    renderWithApp(<ShopifyConnectCard storeId="store-1" />);
    expect(await screen.findByText('Shopify is preparing the orders…')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'History import (90 days): running' });
    expect(bar).not.toHaveAttribute('value');
    expect(screen.queryByText(/orders imported/)).not.toBeInTheDocument();
  });

  it('says what to configure when the server has no Shopify app', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ ...NOT_CONNECTED, appConfigured: false })));
    renderWithApp(<ShopifyConnectCard storeId="store-1" />);
    expect(await screen.findByText(/WISMO_SHOPIFY_API_KEY/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Shop domain')).not.toBeInTheDocument();
  });
});
