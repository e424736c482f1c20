import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationDetail, ConversationPage, ConversationRow } from '../api/types';
import { jsonResponse, renderWithApp, sent, sentUrls, STORE } from '../test/utils';
import { ConversationsPage } from './conversations';

const LIST = '/api/v1/chat/conversations';

const ROW: ConversationRow = {
  id: 'c1',
  startedAt: '2026-10-13T13:00:00Z',
  closedAt: null,
  channel: 'chat',
  language: 'es',
  messageCount: 3,
  inquiryTypes: ['status'],
  orderNumbers: ['1002'],
  outcome: 'escalated',
  rating: null,
  customer: { email: 'b***@example.com', name: 'B*** B***' },
};

const PAGE: ConversationPage = {
  items: [
    ROW,
    {
      ...ROW,
      id: 'c2',
      startedAt: '2026-10-12T15:00:00Z',
      language: 'en',
      messageCount: 2,
      inquiryTypes: [],
      orderNumbers: [],
      outcome: 'open',
      customer: null,
    },
  ],
  nextCursor: null,
  piiMasked: true,
};

const DETAIL: ConversationDetail = {
  id: 'c1',
  channel: 'chat',
  language: 'es',
  startedAt: '2026-10-13T13:00:00Z',
  firstResponseAt: '2026-10-13T13:00:10Z',
  closedAt: null,
  escalated: true,
  verified: true,
  verifiedOrderNumber: '1002',
  messages: [
    { id: 'm1', sender: 'customer', text: '¿Dónde está mi pedido 1002? b***@example.com', createdAt: '2026-10-13T13:00:10Z' },
    { id: 'm2', sender: 'assistant', text: 'Gracias, he encontrado tu pedido.', createdAt: '2026-10-13T13:00:10Z' },
    { id: 'm3', sender: 'agent', text: '<b>Hola</b>, soy Sam.', createdAt: '2026-10-13T13:05:00Z' },
    { id: 'm4', sender: 'customer', text: null, createdAt: '2026-10-13T13:06:00Z' },
  ],
  inquiries: [
    {
      id: 'i1',
      inquiryType: 'status',
      orderNumber: '1002',
      orderStatus: 'unfulfilled',
      isRepeat: false,
      resolved: false,
      escalated: true,
      createdAt: '2026-10-13T13:00:10Z',
      rating: null,
    },
  ],
  outcome: 'escalated',
  rating: null,
  customer: { email: 'b***@example.com', name: 'B*** B***' },
  piiMasked: true,
};

type Handler = (url: string) => Response | Promise<Response>;

function stubApi(handler: Handler) {
  const fetchMock = vi.fn((request: Request) => {
    const url = new URL(request.url);
    return Promise.resolve(handler(url.pathname + url.search));
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function urls(fetchMock: ReturnType<typeof stubApi>): string[] {
  return sentUrls(fetchMock);
}

function renderPage(route: string) {
  return renderWithApp(
    <Routes>
      <Route path="/conversations/:conversationId?" element={<ConversationsPage />} />
    </Routes>,
    { stores: [STORE], route },
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('ConversationsPage', () => {
  it('lists the conversations with the filters of the URL, masked for the role', async () => {
    const fetchMock = stubApi(() => jsonResponse(PAGE));
    renderPage('/conversations?store=store-1&outcome=escalated&language=es&inquiry_type=status&inquiry_type=refund');

    const rows = await screen.findAllByTestId('conversation-row');
    expect(rows).toHaveLength(2);
    expect(urls(fetchMock)[0]).toBe(`${LIST}?inquiry_type=status&inquiry_type=refund&language=es&outcome=escalated&limit=25`);
    expect(sent(fetchMock.mock.calls[0]).headers.get('X-Store-Id')).toBe('store-1');

    const first = within(rows[0]!);
    expect(first.getByText('B*** B***')).toBeInTheDocument();
    expect(first.getByText('b***@example.com')).toBeInTheDocument();
    expect(first.getByText('Escalated')).toBeInTheDocument();
    expect(first.getByText('Spanish')).toBeInTheDocument();
    expect(first.getByText('3 messages')).toBeInTheDocument();
    expect(first.getByText('#1002')).toBeInTheDocument();
    expect(first.getByRole('link')).toHaveAttribute('href', expect.stringMatching(/^\/conversations\/c1\?/));
    expect(within(rows[1]!).getByText('Unknown customer')).toBeInTheDocument();
    expect(screen.getByTestId('pii-note')).toHaveTextContent('masked for your role');

    // The URL's filters are the checked boxes.
    const outcome = screen.getByRole('group', { name: 'Outcome' });
    expect(within(outcome).getByRole('checkbox', { name: 'Escalated' })).toBeChecked();
    expect(within(outcome).getByRole('checkbox', { name: 'Open' })).not.toBeChecked();
    expect(within(screen.getByRole('group', { name: 'Inquiry type' })).getByRole('checkbox', { name: 'Refund' })).toBeChecked();
  });

  it('drops invalid filter values from the URL instead of failing', async () => {
    const fetchMock = stubApi(() => jsonResponse(PAGE));
    renderPage('/conversations?outcome=bogus&language=xx&inquiry_type=status&date_range=1y');
    await screen.findAllByTestId('conversation-row');
    expect(urls(fetchMock)[0]).toBe(`${LIST}?inquiry_type=status&limit=25`);
  });

  it('refetches when a filter is toggled or the range changes', async () => {
    const fetchMock = stubApi(() => jsonResponse(PAGE));
    renderPage('/conversations?outcome=escalated');
    await screen.findAllByTestId('conversation-row');

    fireEvent.click(within(screen.getByRole('group', { name: 'Outcome' })).getByRole('checkbox', { name: 'Open' }));
    await waitFor(() => expect(urls(fetchMock)).toContain(`${LIST}?outcome=open&outcome=escalated&limit=25`));

    fireEvent.change(screen.getByLabelText('Started'), { target: { value: '7d' } });
    await waitFor(() => expect(urls(fetchMock)).toContain(`${LIST}?date_range=7d&outcome=open&outcome=escalated&limit=25`));

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(urls(fetchMock)).toContain(`${LIST}?limit=25`));
  });

  it('opens the transcript of the chosen conversation', async () => {
    const fetchMock = stubApi((url) => jsonResponse(url.startsWith(`${LIST}/c1`) ? DETAIL : PAGE));
    renderPage('/conversations?store=store-1');
    expect(await screen.findByText('No conversation selected')).toBeInTheDocument();

    const [first] = await screen.findAllByTestId('conversation-row');
    fireEvent.click(within(first!).getByRole('link'));

    expect(await screen.findByRole('heading', { name: 'Conversation with B*** B***' })).toHaveFocus();
    expect(urls(fetchMock)).toContain(`${LIST}/c1`);
    const messages = screen.getAllByTestId('transcript-message');
    expect(messages.map((m) => m.textContent?.split(' · ')[0])).toEqual(['Customer', 'Assistant', 'Agent', 'Customer']);
    expect(messages[0]).toHaveTextContent('¿Dónde está mi pedido 1002? b***@example.com');
    // text from the API is text, never markup
    expect(within(messages[2]!).getByText('<b>Hola</b>, soy Sam.')).toBeInTheDocument();
    expect(messages[3]).toHaveTextContent('Message removed');
    expect(screen.getByRole('link', { name: 'Order 1002' })).toHaveAttribute('href', '/orders/1002/timeline?store=store-1');
    expect(screen.getByText('Unfulfilled when asked')).toBeInTheDocument();
    expect(screen.getByText('Email addresses are masked for your role.')).toBeInTheDocument();
    expect(within(first!).getByRole('link')).toHaveAttribute('aria-current', 'page');
  });

  it('says when a conversation is not found', async () => {
    stubApi((url) =>
      url.startsWith(`${LIST}/gone`)
        ? jsonResponse({ title: 'Not found', status: 404, detail: 'conversation not found' }, 404, 'application/problem+json')
        : jsonResponse(PAGE),
    );
    renderPage('/conversations/gone');
    expect(await screen.findByText('Conversation not found (404)')).toBeInTheDocument();
  });

  it('loads more pages with the cursor', async () => {
    const fetchMock = stubApi((url) =>
      jsonResponse(url.includes('cursor=') ? { ...PAGE, items: [{ ...ROW, id: 'c9', customer: null }] } : { ...PAGE, nextCursor: 'abc' }),
    );
    renderPage('/conversations');
    expect(await screen.findAllByTestId('conversation-row')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('conversation-row')).toHaveLength(3));
    expect(urls(fetchMock).at(-1)).toBe(`${LIST}?limit=25&cursor=abc`);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByText('Showing 3 conversations')).toBeInTheDocument();
  });

  it('tells an empty store from filters that match nothing', async () => {
    const fetchMock = stubApi(() => jsonResponse({ ...PAGE, items: [] }));
    renderPage('/conversations');
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();

    fireEvent.click(within(screen.getByRole('group', { name: 'Language' })).getByRole('checkbox', { name: 'German' }));
    expect(await screen.findByText('No conversations match these filters')).toBeInTheDocument();
    expect(urls(fetchMock).at(-1)).toBe(`${LIST}?language=de&limit=25`);
    fireEvent.click(screen.getByRole('button', { name: 'Clear the filters' }));
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
  });

  it('shows an error with Retry', async () => {
    stubApi(() => jsonResponse({ title: 'Internal server error', status: 500 }, 500, 'application/problem+json'));
    renderPage('/conversations');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load the conversations (500)');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
