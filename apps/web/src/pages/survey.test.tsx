import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import { jsonResponse, renderWithApp, sent } from '../test/utils';
import { SurveyPage, tokenFromHash } from './survey';

afterEach(() => vi.unstubAllGlobals());

const ROUTE = '/survey/11111111-2222-3333-4444-555555555555#token=abc.def';

function renderSurvey(route = ROUTE) {
  return renderWithApp(
    <Routes>
      <Route path="/survey/:inquiryId" element={<SurveyPage />} />
    </Routes>,
    { route },
  );
}

function problem(status: number, detail: string) {
  return jsonResponse({ type: 'about:blank', title: 'x', status, detail }, status, 'application/problem+json');
}

describe('SurveyPage', () => {
  it('sends the rating, effort and feedback with the token from the fragment, then thanks', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ inquiryId: '1', rating: 4 }, 201));
    vi.stubGlobal('fetch', fetchMock);
    renderSurvey();

    const send = screen.getByRole('button', { name: 'Choose a rating to send' });
    expect(send).toBeDisabled();
    fireEvent.click(screen.getByRole('radio', { name: '4 of 5, Satisfied' }));
    fireEvent.click(screen.getByRole('radio', { name: '2 of 7' }));
    fireEvent.change(screen.getByLabelText(/Anything we could do better/), { target: { value: '  Quick answer  ' } });
    expect(screen.getByText('16 / 2000')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Send feedback' }));

    expect(await screen.findByRole('heading', { name: 'Thank you for your feedback!' })).toBeInTheDocument();
    const request = sent(fetchMock.mock.calls[0]);
    expect(request.url).toBe('/api/v1/satisfaction/11111111-2222-3333-4444-555555555555');
    expect(request.method).toBe('POST');
    expect(await request.request.json()).toEqual({ token: 'abc.def', rating: 4, effortScore: 2, feedback: 'Quick answer' });
    expect(request.headers.get('X-Store-Id')).toBeNull();
  });

  it('sends null effort and feedback when skipped', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({}, 201));
    vi.stubGlobal('fetch', fetchMock);
    renderSurvey();
    fireEvent.click(screen.getByRole('radio', { name: '1 of 5, Very dissatisfied' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send feedback' }));
    await screen.findByRole('heading', { name: 'Thank you for your feedback!' });
    expect(await sent(fetchMock.mock.calls[0]).request.json()).toEqual({ token: 'abc.def', rating: 1, effortScore: null, feedback: null });
  });

  it.each([
    [409, 'this survey has already been answered', 'You’ve already answered this survey'],
    [401, 'this survey link is invalid or has expired', 'This survey link has expired'],
    [404, 'inquiry not found', 'We couldn’t find this survey'],
  ])('%s: shows a final state', async (status, detail, heading) => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(problem(status, detail)));
    renderSurvey();
    fireEvent.click(screen.getByRole('radio', { name: '5 of 5, Very satisfied' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send feedback' }));
    expect(await screen.findByRole('heading', { name: heading })).toBeInTheDocument();
  });

  it('keeps the form on other errors so the customer can try again', async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(problem(429, 'too many')).mockResolvedValueOnce(jsonResponse({}, 201));
    vi.stubGlobal('fetch', fetchMock);
    renderSurvey();
    fireEvent.click(screen.getByRole('radio', { name: '3 of 5, Neutral' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send feedback' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('try again in a minute');
    fireEvent.click(screen.getByRole('button', { name: 'Send feedback' }));
    expect(await screen.findByRole('heading', { name: 'Thank you for your feedback!' })).toBeInTheDocument();
  });

  it('explains a link without its token', () => {
    renderSurvey('/survey/abc');
    expect(screen.getByRole('heading', { name: 'This survey link is incomplete' })).toBeInTheDocument();
  });

  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#token=a.b')).toBe('a.b');
    expect(tokenFromHash('#x=1&token=a%2Bb')).toBe('a+b');
    expect(tokenFromHash('')).toBeNull();
  });
});
