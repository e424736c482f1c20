import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../api/types';
import { jsonResponse, renderWithApp, sent, sentUrls, STORE } from '../../test/utils';
import { AlertsBell, describeAlert } from './AlertsBell';

const ALERTS: Alert[] = [
  {
    id: 'a1',
    kind: 'inquiry_spike',
    causeKey: 'inquiry_spike:2025-03-05',
    severity: 'high',
    createdAt: '2025-03-07T14:00:00Z',
    acknowledgedAt: null,
    deliveredAt: null,
    deliveryAttempts: 0,
    payload: { title: 'Inquiry spike since 2025-03-05', message: '3x the usual volume' },
  },
  {
    id: 'a2',
    kind: 'low_satisfaction',
    causeKey: 'inquiry:i9',
    severity: 'medium',
    createdAt: '2025-03-07T12:00:00Z',
    acknowledgedAt: null,
    deliveredAt: null,
    deliveryAttempts: 0,
    payload: { rating: 2, orderNumber: '1042', feedbackExcerpt: '<img src=x onerror=alert(1)>' },
  },
];

afterEach(() => vi.unstubAllGlobals());

describe('AlertsBell', () => {
  it('shows the open count, lists the alerts and acknowledges one', async () => {
    const fetchMock = vi.fn((request: Request) => {
      if (request.url.endsWith('/acknowledge')) return Promise.resolve(jsonResponse({ ...ALERTS[0], acknowledgedAt: '2025-03-07T15:00:00Z' }));
      const calls = sentUrls(fetchMock).filter((u) => u === '/api/v1/alerts').length;
      return Promise.resolve(jsonResponse(calls > 1 ? [ALERTS[1]] : ALERTS));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<AlertsBell storeId="store-1" />, { stores: [STORE] });

    const bell = await screen.findByRole('button', { name: 'Alerts: 2 open' });
    expect(bell).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(bell);
    expect(bell).toHaveAttribute('aria-expanded', 'true');
    const panel = screen.getByRole('region', { name: 'Alerts' });
    const items = within(panel).getAllByTestId('alert-item');
    expect(items[0]).toHaveTextContent('Inquiry spike since 2025-03-05');
    expect(items[1]).toHaveTextContent('Rated 2 / 5 on order 1042');
    // feedback is shown as text
    expect(items[1]).toHaveTextContent('“<img src=x onerror=alert(1)>”');
    expect(within(items[1]!).getByRole('link', { name: 'Order 1042' })).toHaveAttribute('href', '/orders/1042/timeline');

    fireEvent.click(within(items[0]!).getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(within(panel).getAllByTestId('alert-item')).toHaveLength(1));
    const ack = fetchMock.mock.calls.map(sent).find((r) => r.url.endsWith('/acknowledge'))!;
    expect(ack.url).toBe('/api/v1/alerts/a1/acknowledge');
    expect(ack.method).toBe('POST');
    expect(screen.getByRole('button', { name: 'Alerts: 1 open' })).toBeInTheDocument();

    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Alerts' })).toBeNull();
  });

  it('copes with a backend without alerts (404)', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ title: 'Not found', status: 404 }, 404, 'application/problem+json')));
    renderWithApp(<AlertsBell storeId="store-1" />, { stores: [STORE] });
    const bell = await screen.findByRole('button', { name: 'Alerts (not available)' });
    fireEvent.click(bell);
    expect(screen.getByText('Alerts aren’t available on this server yet.')).toBeInTheDocument();
  });

  it('describes alerts without a title by their kind', () => {
    expect(describeAlert({ ...ALERTS[0]!, kind: 'carrier_delay', payload: {} }).title).toBe('Carrier delay');
  });
});
