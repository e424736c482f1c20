import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import { settingsNav } from '../components/layout/AppLayout';
import { jsonResponse, renderWithApp, sent } from '../test/utils';
import { InvitePage, SignupPage, tokenFromHash } from './access';

afterEach(() => vi.unstubAllGlobals());

const ME = { user: { id: 'u1', email: 'bob@x.example' }, stores: [{ id: 's1', name: 'Maple', timezone: 'UTC', currency: 'USD', role: 'analyst' }] };

describe('access pages', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromHash('#abc.def%3D')).toBe('abc.def=');
  });

  it('accepts an invitation with the token, name and password', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse({ email: 'bob@x.example', role: 'analyst', storeName: 'Maple', hasAccount: false }))
      .mockResolvedValueOnce(jsonResponse(ME));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(
      <Routes>
        <Route path="/invite" element={<InvitePage />} />
        <Route path="/analytics/wismo" element={<p>home</p>} />
      </Routes>,
      { route: '/invite#tok.sig' },
    );
    expect(await screen.findByRole('heading', { name: 'Join Maple' })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/Your name/), { target: { value: 'Bob' } });
    fireEvent.change(screen.getByLabelText(/Choose a password/), { target: { value: 'bobs password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join the store' }));
    expect(await screen.findByText('home')).toBeInTheDocument();
    const accept = sent(fetchMock.mock.calls[1]);
    expect(accept.url).toBe('/api/v1/auth/invites/accept');
    expect(accept.method).toBe('POST');
    expect(await accept.request.json()).toEqual({ token: 'tok.sig', name: 'Bob', password: 'bobs password' });
  });

  it('says when an invitation link is dead', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        jsonResponse({ type: 'about:blank', title: 'Not found', status: 404, detail: 'this invitation link is invalid, used or expired' }, 404, 'application/problem+json'),
      ),
    );
    renderWithApp(
      <Routes>
        <Route path="/invite" element={<InvitePage />} />
      </Routes>,
      { route: '/invite#old' },
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('invalid, used or expired');
  });

  it('sends people to an invite once the install has an owner', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse({ open: false })));
    renderWithApp(<SignupPage />);
    expect(await screen.findByRole('heading', { name: 'This install already has an owner' })).toBeInTheDocument();
  });

  it('opens the store settings for admins and owners, alerts and digests for analysts', () => {
    expect(settingsNav('analyst').map((i) => i.to)).toEqual(['/settings/notifications']);
    expect(settingsNav('admin').map((i) => i.to)).toEqual(['/settings']);
    expect(settingsNav('owner').map((i) => i.to)).toEqual(['/settings']);
  });
});
