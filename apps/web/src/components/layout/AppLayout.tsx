import { Suspense, useId, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import type { User } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { useLiveStatus } from '../../hooks/liveContext';
import { useLogout } from '../../hooks/useAuth';
import { LoadingBlock } from '../ui/Skeleton';
import { AlertsBell } from './AlertsBell';
import { LiveIndicator } from './LiveIndicator';
import { OrderSearch } from './OrderSearch';

const NAV = [
  { to: '/analytics/wismo', label: 'Overview', end: true },
  { to: '/analytics/wismo/inquiries', label: 'Inquiries', end: false },
  { to: '/analytics/wismo/fulfillment', label: 'Fulfillment', end: false },
  { to: '/analytics/wismo/at-risk', label: 'At risk', end: false },
  { to: '/conversations', label: 'Conversations', end: false },
];
/** Admins and owners open the store's settings; analysts their own alerts and digest. */
export function settingsNav(role: string) {
  if (role === 'owner' || role === 'admin') return [{ to: '/settings', label: 'Settings', end: false }];
  return [{ to: '/settings/notifications', label: 'Settings', end: false }];
}

function StoreSwitcher() {
  const { store, stores, selectStore } = useStore();
  const id = useId();
  if (stores.length < 2) {
    return (
      <span className="truncate text-sm font-medium text-slate-700" title={`${store.name} · ${store.timezone}`}>
        {store.name}
      </span>
    );
  }
  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <label htmlFor={id} className="sr-only">
        Store
      </label>
      <select
        id={id}
        value={store.id}
        onChange={(e) => selectStore(e.target.value)}
        className="w-40 truncate rounded-md border border-slate-300 sm:w-auto sm:max-w-[12rem] bg-white px-2 py-1.5 text-sm font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {stores.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function UserMenu({ user }: { user: User }) {
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <div className="flex items-center gap-2">
      <span className="hidden max-w-[12rem] truncate text-sm text-slate-500 2xl:inline" title={user.email}>
        {user.email}
      </span>
      <button
        type="button"
        onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        disabled={logout.isPending}
        title={`Signed in as ${user.email}`}
        className="whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        Sign out
      </button>
    </div>
  );
}

export function AppLayout({ user, children }: { user: User; children?: ReactNode }) {
  const location = useLocation();
  const { store } = useStore();
  const live = useLiveStatus();
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5 sm:px-6">
          <NavLink
            to={{ pathname: '/analytics/wismo', search: location.search }}
            className="order-1 flex items-center gap-2 rounded focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            <span className="sr-only text-base font-semibold tracking-tight text-slate-900 min-[480px]:not-sr-only">WISMO Analytics</span>
          </NavLink>
          <nav aria-label="Main" className="relative order-5 -mx-1 flex w-full gap-1 overflow-x-auto md:order-2 md:w-auto">
            {[...NAV, ...settingsNav(store.role)].map((item) => (
              <NavLink
                key={item.to}
                to={{ pathname: item.to, search: location.search }}
                end={item.end}
                className={({ isActive }) =>
                  `whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'}`
                }
              >
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="order-3 w-full sm:ml-auto sm:w-auto">
            <OrderSearch />
          </div>
          <div className="order-2 ml-auto flex min-w-0 items-center gap-2 sm:order-4 sm:ml-0">
            <LiveIndicator status={live} />
            <StoreSwitcher />
            <AlertsBell storeId={store.id} />
            <UserMenu user={user} />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-5 outline-none sm:px-6 sm:py-6">
        <Suspense fallback={<LoadingBlock className="h-96" />}>{children ?? <Outlet />}</Suspense>
      </main>
    </div>
  );
}
