import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../app/queryClient';
import { FormatProvider, type FormatSettings } from '../lib/formatContext';

export const NY: FormatSettings = { locale: 'en-US', timeZone: 'America/New_York', currency: 'USD' };

/** Renders with a fresh QueryClient (no retries), a router and the store formatting settings. */
export function renderWithApp(ui: ReactElement, { format = NY, route = '/', ...options }: { format?: FormatSettings; route?: string } & RenderOptions = {}) {
  const queryClient = createQueryClient({ retry: false });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[route]}>
        <FormatProvider value={format}>{children}</FormatProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
  return { queryClient, ...render(ui, { wrapper: Wrapper, ...options }) };
}

export function jsonResponse(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

export function metric(value: number | null, previous: number | null = null, changePct: number | null = null) {
  return { value, previous, changePct };
}
