import { Outlet } from 'react-router';
import { isApiError } from '../api/client';
import { AppLayout } from '../components/layout/AppLayout';
import { LoadingBlock } from '../components/ui/Skeleton';
import { EmptyState, ErrorState } from '../components/ui/States';
import { useMe } from '../hooks/useAuth';
import { LiveUpdatesProvider } from './LiveUpdates';
import { StoreProvider } from './StoreContext';

/** Everything behind the login. A 401 is handled by the QueryCache (redirect to /login). */
export function AuthenticatedApp() {
  const me = useMe();

  if (me.isPending || (me.isError && isApiError(me.error) && me.error.status === 401)) {
    return (
      <div className="mx-auto max-w-7xl p-6">
        <LoadingBlock className="h-[60vh]" label="Signing in…" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Couldn’t reach WISMO Analytics" />
      </div>
    );
  }
  if (me.data.stores.length === 0) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <EmptyState title="Your account isn’t linked to a store yet">
          Ask a store owner to add {me.data.user.email}, or create one with{' '}
          <code className="rounded bg-slate-100 px-1">wismo create-user</code>.
        </EmptyState>
      </div>
    );
  }
  return (
    <StoreProvider stores={me.data.stores}>
      <LiveUpdatesProvider>
        <AppLayout user={me.data.user}>
          <Outlet />
        </AppLayout>
      </LiveUpdatesProvider>
    </StoreProvider>
  );
}
