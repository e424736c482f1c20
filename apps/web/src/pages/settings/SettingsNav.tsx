import type { ReactNode } from 'react';
import { errorMessage } from '../../api/client';
import { NavLink } from 'react-router';
import { useStore } from '../../app/StoreContext';
import { usePageTitle } from '../../hooks/usePageTitle';

const LINKS = [
  { to: '/settings/store', label: 'Store', role: 'admin' },
  { to: '/settings/api-keys', label: 'API keys', role: 'admin' },
  { to: '/settings/widget', label: 'Chat widget', role: 'admin' },
  { to: '/settings/team', label: 'Team', role: 'owner' },
  { to: '/settings/integrations', label: 'Integrations', role: 'admin' },
  { to: '/settings/business-hours', label: 'Business hours', role: 'admin' },
  { to: '/settings/audit', label: 'Audit log', role: 'owner' },
  { to: '/settings/notifications', label: 'Alerts & digests', role: 'analyst' },
  { to: '/settings/outbox', label: 'Outbox', role: 'admin' },
];
const RANK: Record<string, number> = { analyst: 1, admin: 2, owner: 3 };

export function hasRole(role: string, needed: 'admin' | 'owner'): boolean {
  return (RANK[role] ?? 0) >= RANK[needed]!;
}

export const FIELD = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm';
export const PRIMARY_BUTTON =
  'rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60';

/** A settings form's submit button with its "Saved." and error messages. */
export function SaveFooter({
  save,
  label,
  disabled = false,
}: {
  save: { isPending: boolean; isSuccess: boolean; isError: boolean; error: unknown };
  label: string;
  disabled?: boolean;
}) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={disabled || save.isPending} className={PRIMARY_BUTTON}>
          {save.isPending ? 'Saving…' : label}
        </button>
        {save.isSuccess && (
          <p role="status" className="text-sm text-emerald-700">
            Saved.
          </p>
        )}
      </div>
      {save.isError && (
        <p role="alert" className="text-sm text-rose-700">
          {errorMessage(save.error)}
        </p>
      )}
    </>
  );
}

/** The frame of a settings page: its title, the settings tabs, and the role gate. */
export function SettingsPage({ title, role, children }: { title: string; role: 'admin' | 'owner'; children: () => ReactNode }) {
  usePageTitle(title);
  const { store } = useStore();
  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Settings</h1>
      <SettingsNav />
      {hasRole(store.role, role) ? <div className="space-y-4">{children()}</div> : <NotAllowed role={role} />}
    </div>
  );
}

export function SettingsNav() {
  const { store } = useStore();
  const links = LINKS.filter((link) => (RANK[store.role] ?? 0) >= (RANK[link.role] ?? 9));
  return (
    <nav aria-label="Settings" className="mb-4 flex gap-1 overflow-x-auto">
      {links.map((link) => (
        <NavLink
          key={link.to}
          to={link.to}
          className={({ isActive }) =>
            `whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${isActive ? 'bg-indigo-50 text-indigo-700' : 'text-slate-600 hover:bg-slate-100'}`
          }
        >
          {link.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** A settings page the current role may not open: said plainly, never a blank page. */
export function NotAllowed({ role }: { role: string }) {
  return (
    <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
      This page needs the {role} role in this store.
    </p>
  );
}
