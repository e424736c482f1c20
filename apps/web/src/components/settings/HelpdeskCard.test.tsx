import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HelpdeskConnection } from '../../api/types';
import { STORE, jsonResponse, renderWithApp, sent } from '../../test/utils';
import { IntegrationsSettingsPage } from '../../pages/settings/integrations';
import { HelpdeskCard } from './HelpdeskCard';

afterEach(() => vi.unstubAllGlobals());

const URL_BASE = 'https://wismo.example.com/api/v1/webhooks';

function connection(provider: 'zendesk' | 'gorgias', extra: Partial<HelpdeskConnection> = {}): HelpdeskConnection {
  return {
    provider,
    webhookUrl: `${URL_BASE}/${provider}?store=store-1`,
    secretSet: false,
    updatedAt: null,
    lastDeliveryAt: null,
    deliveriesLastDay: 0,
    ...extra,
  };
}

describe('HelpdeskCard', () => {
  it('Zendesk: sends the pasted signing secret and shows the webhook URL to copy', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ provider: 'zendesk', webhookUrl: 'x', secret: 's' }));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<HelpdeskCard storeId="store-1" connection={connection('zendesk')} />);

    expect(screen.getByText('Not connected')).toBeInTheDocument();
    expect(screen.getByLabelText('Webhook URL')).toHaveValue(`${URL_BASE}/zendesk?store=store-1`);
    fireEvent.change(screen.getByLabelText('Signing secret'), { target: { value: '  zendesk-signing-secret ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save secret' }));

    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    const put = sent(fetchMock.mock.calls[0]);
    expect(put.url).toBe('/api/v1/stores/current/helpdesks/zendesk');
    expect(put.method).toBe('PUT');
    expect(await put.request.json()).toEqual({ secret: 'zendesk-signing-secret' });
    expect(put.headers.get('X-Store-Id')).toBe('store-1');
    await waitFor(() => expect(screen.getByLabelText('Signing secret')).toHaveValue(''));
    expect(screen.queryByText(/not shown again/)).not.toBeInTheDocument();
  });

  it('Gorgias: generates a secret and shows it once with the header to use', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValue(jsonResponse({ provider: 'gorgias', webhookUrl: 'x', secret: 'generated-secret-value' }));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<HelpdeskCard storeId="store-1" connection={connection('gorgias')} />);

    expect(screen.queryByLabelText('Signing secret')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Generate secret' }));
    expect(await screen.findByText('generated-secret-value')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('X-Wismo-Token');
    expect(await sent(fetchMock.mock.calls[0]).request.text()).toBe('');
  });

  it('shows the connection status and the server’s error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        jsonResponse({ type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'secret too short' }, 422, 'application/problem+json'),
      ),
    );
    renderWithApp(
      <HelpdeskCard
        storeId="store-1"
        connection={connection('zendesk', { secretSet: true, lastDeliveryAt: '2026-11-02T15:00:00Z', deliveriesLastDay: 12 })}
      />,
    );
    expect(screen.getByText('Connected · last delivery Nov 2, 2026, 10:00 AM · 12 in 24 h')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Signing secret'), { target: { value: 'abcdefgh' } });
    fireEvent.click(screen.getByRole('button', { name: 'Replace secret' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('secret too short');
  });
});

describe('IntegrationsSettingsPage', () => {
  it('lists Shopify, tracking and both helpdesks for admins', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (request: Request) =>
        new URL(request.url).pathname.endsWith('/helpdesks')
          ? jsonResponse([connection('zendesk'), connection('gorgias')])
          : new URL(request.url).pathname.endsWith('/tracking')
            ? jsonResponse({ secretSet: false, providers: [] })
            : jsonResponse({ appConfigured: true, connected: false, backfill: null, webhookTopics: [] }),
      ),
    );
    renderWithApp(<IntegrationsSettingsPage />, { stores: [STORE] });
    expect(await screen.findByRole('heading', { name: 'Zendesk' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Gorgias' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /Connect Shopify/ })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Tracking (AfterShip, EasyPost)' })).toBeInTheDocument();
  });

  it('tells analysts the page needs an admin, without calling the API', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<IntegrationsSettingsPage />, { stores: [{ ...STORE, role: 'analyst' }] });
    expect(screen.getByText('This page needs the admin role in this store.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
