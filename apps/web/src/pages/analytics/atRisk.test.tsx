import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AtRiskList } from '../../api/types';
import { jsonResponse, renderWithApp, sent, STORE } from '../../test/utils';
import { AtRiskPage } from './atRisk';

const LIST: AtRiskList = {
  method: 'learned',
  horizonDays: 3,
  trainedOn: 2827,
  baseRate: 0.083,
  generatedAt: '2025-03-07T15:00:00Z',
  items: [
    {
      orderNumber: '1388',
      kind: 'unfulfilled_order',
      carrier: null,
      trackingNumber: null,
      status: 'unfulfilled',
      orderCreatedAt: '2025-03-01T20:13:08Z',
      shippedAt: null,
      originalEstimatedDelivery: null,
      reasons: ['Unfulfilled for 7.1 days (9 in 10 orders ship within 3.2 days)', 'Customer already asked 1.4 days ago'],
      score: 0.463,
      timelineUrl: '/api/v1/orders/1388/timeline',
    },
    {
      orderNumber: 'A-7',
      kind: 'shipment',
      carrier: '<b>UPS</b>',
      trackingNumber: '1Z999',
      status: 'in_transit',
      orderCreatedAt: '2025-02-25T10:00:00Z',
      shippedAt: '2025-02-26T10:00:00Z',
      originalEstimatedDelivery: '2025-03-03',
      reasons: ['4 days past the original estimate'],
      score: 0.12,
      timelineUrl: '/api/v1/orders/A-7/timeline',
    },
  ],
};

afterEach(() => vi.unstubAllGlobals());

describe('AtRiskPage', () => {
  it('lists the rows with reasons and scores, each linking to the order timeline', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse(LIST));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<AtRiskPage />, { stores: [STORE], route: '/analytics/wismo/at-risk?store=store-1' });

    const rows = await screen.findAllByTestId('at-risk-row');
    expect(rows).toHaveLength(2);
    expect(sent(fetchMock.mock.calls[0]).url).toBe('/api/v1/analytics/wismo/at-risk?limit=50');
    expect(sent(fetchMock.mock.calls[0]).headers.get('X-Store-Id')).toBe('store-1');

    const first = within(rows[0]!);
    expect(first.getByRole('link', { name: '1388' })).toHaveAttribute('href', '/orders/1388/timeline?store=store-1');
    expect(first.getByText('Customer already asked 1.4 days ago')).toBeInTheDocument();
    expect(first.getByTestId('risk-score')).toHaveTextContent('46%');
    expect(first.getByText('High risk')).toBeInTheDocument();
    // text from the API is text, never markup
    expect(within(rows[1]!).getByText('<b>UPS</b>')).toBeInTheDocument();
    expect(screen.getByTestId('at-risk-summary')).toHaveTextContent('learned from 2,827 past orders');
  });

  it('says the feature is not available when the backend has no such route (404)', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ title: 'Not found', status: 404 }, 404, 'application/problem+json')));
    renderWithApp(<AtRiskPage />, { stores: [STORE] });
    expect(await screen.findByText('At-risk scoring isn’t available yet')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an empty watchlist as good news', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ ...LIST, items: [] })));
    renderWithApp(<AtRiskPage />, { stores: [STORE] });
    expect(await screen.findByText('No orders at risk right now')).toBeInTheDocument();
  });
});

describe('AtRiskPage paging', () => {
  it('asks for more rows when the list is full', { timeout: 30_000 }, async () => {
    const item = LIST.items[0]!;
    const full = { ...LIST, items: Array.from({ length: 50 }, (_, i) => ({ ...item, orderNumber: String(2000 + i) })) };
    const fetchMock = vi.fn((request: Request) =>
      Promise.resolve(jsonResponse(request.url.endsWith('limit=50') ? full : { ...full, items: [...full.items, { ...item, orderNumber: '9999' }] })),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<AtRiskPage />, { stores: [STORE] });
    // Rendering 50 rows twice takes about a second on a busy two-core machine.
    const slow = { timeout: 10_000 };
    expect(await screen.findAllByTestId('at-risk-row', {}, slow)).toHaveLength(50);
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByRole('link', { name: '9999' }, slow)).toBeInTheDocument();
    expect(sent(fetchMock.mock.calls.at(-1)).url).toBe('/api/v1/analytics/wismo/at-risk?limit=100');
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
  });
});
