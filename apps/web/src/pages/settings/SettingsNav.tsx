import { NavLink } from 'react-router';
import { useStore } from '../../app/StoreContext';

const LINKS = [
  { to: '/settings/team', label: 'Team', role: 'owner' },
  { to: '/settings/notifications', label: 'Alerts & digests', role: 'analyst' },
  { to: '/settings/outbox', label: 'Outbox', role: 'admin' },
];
const RANK: Record<string, number> = { analyst: 1, admin: 2, owner: 3 };

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
