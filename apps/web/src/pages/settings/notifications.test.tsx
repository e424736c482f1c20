import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithApp, sent, STORE } from '../../test/utils';
import { NotificationSettingsPage } from './notifications';

afterEach(() => vi.unstubAllGlobals());

const DIGEST = { frequency: 'off', hour: 8, timezone: 'America/New_York', nextSendAt: null, lastSentAt: null };
const CHANNELS = {
  slackConfigured: false,
  slackUrlHint: null,
  webhookConfigured: true,
  emailRecipients: ['ada@shop.example'],
  kinds: [
    { kind: 'inquiry_spike', label: 'Inquiry spike', channels: ['webhook'] },
    { kind: 'low_satisfaction', label: 'Low satisfaction', channels: ['webhook'] },
  ],
  recentDeliveries: [
    {
      alertId: 'a1',
      kind: 'inquiry_spike',
      title: 'Inquiry spike since 2026-11-20',
      channel: 'slack',
      status: 'failed',
      attempts: 12,
      lastError: 'gave up after 12 attempts: HTTP 404',
      nextAttemptAt: null,
      sentAt: null,
      createdAt: '2026-11-20T10:00:00Z',
    },
  ],
};

function routed(handlers: Record<string, (init?: RequestInit) => Response>) {
  const sentBodies: { method: string; body: unknown }[] = [];
  const fetchMock = vi.fn(async (input: Request) => {
    const { url, method, request } = sent([input]);
    const text = await request.clone().text();
    sentBodies.push({ method, body: text ? JSON.parse(text) : undefined });
    const handler = handlers[`${method} ${url}`];
    if (!handler) throw new Error(`unexpected ${method} ${url}`);
    return handler({ method, body: text || undefined });
  });
  return Object.assign(fetchMock, { sentBodies });
}

describe('alerts and digests settings', () => {
  it('lets a member choose their digest', async () => {
    const fetchMock = routed({
      'GET /api/v1/settings/digest': () => jsonResponse(DIGEST),
      'PUT /api/v1/settings/digest': (init) =>
        jsonResponse({ ...DIGEST, ...JSON.parse(String(init?.body)), nextSendAt: '2026-12-07T12:00:00Z' }),
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<NotificationSettingsPage />, { stores: [{ ...STORE, role: 'analyst' }] });
    fireEvent.change(await screen.findByLabelText('How often'), { target: { value: 'weekly' } });
    fireEvent.change(screen.getByLabelText(/^At/), { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
    const put = fetchMock.sentBodies.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ frequency: 'weekly', hour: 7 });
    expect(screen.getByText(/Next digest:/)).toBeInTheDocument();
    // Analysts see their digest, not the store's alert channels.
    expect(screen.queryByText('Alert channels')).not.toBeInTheDocument();
  });

  it('lets an admin route alerts to Slack and shows why a delivery failed', async () => {
    const fetchMock = routed({
      'GET /api/v1/settings/digest': () => jsonResponse(DIGEST),
      'GET /api/v1/settings/alert-channels': () => jsonResponse(CHANNELS),
      'PUT /api/v1/settings/alert-channels': () =>
        jsonResponse(
          { type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'the webhook URL must use https' },
          422,
          'application/problem+json',
        ),
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<NotificationSettingsPage />, { stores: [{ ...STORE, role: 'admin' }] });
    expect(await screen.findByText('gave up after 12 attempts: HTTP 404', { exact: false })).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Inquiry spike by Slack'));
    fireEvent.click(screen.getByLabelText('Low satisfaction by Webhook'));
    fireEvent.change(screen.getByLabelText(/Slack incoming-webhook URL/), { target: { value: 'http://hooks.slack.com/x' } });
    // The second Save button is the alert channels form's (the first is the digest's).
    fireEvent.click(screen.getAllByRole('button', { name: 'Save' })[1]!);
    expect(await screen.findByRole('alert')).toHaveTextContent('must use https');
    const put = fetchMock.sentBodies.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({
      routes: { inquiry_spike: ['webhook', 'slack'], low_satisfaction: [] },
      slackWebhookUrl: 'http://hooks.slack.com/x',
    });
  });

  it('says when the settings cannot be loaded', async () => {
    vi.stubGlobal(
      'fetch',
      routed({
        'GET /api/v1/settings/digest': () =>
          jsonResponse({ type: 'about:blank', title: 'Server error', status: 500, detail: 'database unavailable' }, 500, 'application/problem+json'),
      }),
    );
    renderWithApp(<NotificationSettingsPage />, { stores: [{ ...STORE, role: 'analyst' }] });
    expect(await screen.findByRole('alert')).toHaveTextContent('database unavailable');
  });
});
