import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { preloadPage } from './preload';
import { createQueryClient } from './queryClient';
import { routes } from './routes';
import { authKeys } from '../api/queries';

const router = createBrowserRouter(routes);

/** The one place a 401 is handled: back to /login, then come back where we were. */
function onUnauthorized() {
  const { pathname, search } = router.state.location;
  if (pathname === '/login') return;
  void router
    .navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true })
    .then(() => queryClient.removeQueries({ queryKey: authKeys.me }));
}

const queryClient = createQueryClient({ onUnauthorized });
void preloadPage(queryClient, window.location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
