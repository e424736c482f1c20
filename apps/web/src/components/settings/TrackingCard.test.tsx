import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackingProviderStatus, TrackingSettings } from '../../api/types';
import { jsonResponse, renderWithApp, sent } from '../../test/utils';
import { TrackingCard } from './TrackingCard';

afterEach(() => vi.unstubAllGlobals());

const URL_BASE = 'https://wismo.example.com/api/v1/webhooks/tracking';

function provider(name: 'aftership' | 'easypost', extra: Partial<TrackingProviderStatus> = {}): TrackingProviderStatus {
  return {
    provider: name,
    webhookUrl: `${URL_BASE}/${name}?store=store-1`,
    lastDeliveryAt: null,
    acceptedLastDay: 0,
    duplicateLastDay: 0,
    rejectedLastDay: 0,
    lastError: null,
    lastErrorAt: null,
    ...extra,
  };
}

function settings(extra: Partial<TrackingSettings> = {}): TrackingSettings {
  return { secretSet: false, providers: [provider('aftership'), provider('easypost')], ...extra };
}

describe('TrackingCard', () => {
  it('shows both webhook URLs and sends the trimmed secret', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(settings({ secretSet: true })));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<TrackingCard storeId="store-1" settings={settings()} />);

    expect(screen.getByRole('heading', { name: 'Tracking (AfterShip, EasyPost)' })).toBeInTheDocument();
    expect(screen.getByText('No secret set: deliveries are refused')).toBeInTheDocument();
    expect(screen.getByText(`${URL_BASE}/aftership?store=store-1`)).toBeInTheDocument();
    expect(screen.getByText(`${URL_BASE}/easypost?store=store-1`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /the EasyPost webhook URL/ })).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Webhook secret'), { target: { value: '  a-secret-of-sixteen+ ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save secret' }));

    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    const put = sent(fetchMock.mock.calls[0]);
    expect(put.url).toBe('/api/v1/stores/current/tracking-secret');
    expect(put.method).toBe('PUT');
    expect(put.headers.get('X-Store-Id')).toBe('store-1');
    expect(await put.request.json()).toEqual({ secret: 'a-secret-of-sixteen+' });
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
    expect(screen.getByLabelText('Webhook secret')).toHaveValue('');
  });

  it('shows the 24-hour counts, the last refusal and the server’s error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        jsonResponse({ type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'secret too short' }, 422, 'application/problem+json'),
      ),
    );
    const easypost = provider('easypost', {
      lastDeliveryAt: '2026-11-20T12:00:00Z',
      acceptedLastDay: 2,
      duplicateLastDay: 1,
      rejectedLastDay: 3,
      lastError: 'invalid or missing X-Hmac-Signature signature',
      lastErrorAt: '2026-11-20T11:00:00Z',
    });
    renderWithApp(
      <TrackingCard storeId="store-1" settings={settings({ secretSet: true, providers: [provider('aftership'), easypost] })} />,
    );

    const counts = screen.getByLabelText('EasyPost deliveries in the last 24 hours');
    expect(within(counts).getByText('Accepted').nextSibling).toHaveTextContent('2');
    expect(within(counts).getByText('Duplicates').nextSibling).toHaveTextContent('1');
    expect(within(counts).getByText('Rejected').nextSibling).toHaveTextContent('3');
    expect(screen.getByText(/invalid or missing X-Hmac-Signature signature/)).toBeInTheDocument();
    expect(screen.getByText('No delivery yet')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Webhook secret'), { target: { value: 'sixteen-chars-ok' } });
    fireEvent.click(screen.getByRole('button', { name: 'Replace secret' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('secret too short');
  });
});
