import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import type { StoreRole } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { EmptyState, ErrorState } from '../../components/ui/States';
import { usePageTitle } from '../../hooks/usePageTitle';
import { NotAllowed, SettingsNav } from './SettingsNav';

const ROLES: StoreRole[] = ['owner', 'admin', 'analyst'];

export function TeamSettingsPage() {
  usePageTitle('Team');
  const { store } = useStore();
  const queryClient = useQueryClient();
  const key = ['settings', 'team', store.id];
  const opts = { storeId: store.id };
  const team = useQuery({ queryKey: key, queryFn: ({ signal }) => api.team({ ...opts, signal }), enabled: store.role === 'owner' });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StoreRole>('analyst');
  const invite = useMutation({
    mutationFn: () => api.invite({ email: email.trim(), role }, opts),
    onSuccess: () => {
      setEmail('');
      void refresh();
    },
  });
  const changeRole = useMutation({ mutationFn: (v: { userId: string; role: StoreRole }) => api.changeRole(v.userId, v.role, opts), onSettled: refresh });
  const remove = useMutation({ mutationFn: (userId: string) => api.removeMember(userId, opts), onSettled: refresh });
  const revoke = useMutation({ mutationFn: (inviteId: string) => api.revokeInvite(inviteId, opts), onSettled: refresh });
  const actionError = changeRole.error ?? remove.error ?? revoke.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };

  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Settings</h1>
      <SettingsNav />
      {store.role !== 'owner' ? (
        <NotAllowed role="owner" />
      ) : (
        <div className="space-y-4">
          <Card title="Invite someone" description="They get an email with a link that works once and expires.">
            <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <label className="block flex-1 text-sm font-medium text-slate-700">
                Email
                <input
                  type="email"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                />
              </label>
              <label className="block text-sm font-medium text-slate-700">
                Role
                <select value={role} onChange={(e) => setRole(e.target.value as StoreRole)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={invite.isPending} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60">
                {invite.isPending ? 'Sending…' : 'Send invite'}
              </button>
            </form>
            {invite.error && (
              <p role="alert" className="mt-2 text-sm text-rose-700">
                {errorMessage(invite.error)}
              </p>
            )}
            {invite.data && (
              <p role="status" className="mt-2 text-sm text-emerald-700">
                {invite.data.emailed ? `Invitation emailed to ${invite.data.email}.` : `No mail server is set up: the invitation for ${invite.data.email} is in the outbox.`}
              </p>
            )}
          </Card>
          {actionError && (
            <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {errorMessage(actionError)}
            </p>
          )}
          <Card title="Members">
            {team.isPending ? (
              <LoadingBlock className="h-32" />
            ) : team.isError ? (
              <ErrorState error={team.error} onRetry={() => void team.refetch()} />
            ) : (
              <ul className="divide-y divide-slate-100">
                {team.data.members.map((m) => (
                  <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <div className="min-w-0">
                      <p className="truncate text-sm font-medium text-slate-900">{m.name ?? m.email}</p>
                      {m.name && <p className="truncate text-xs text-slate-500">{m.email}</p>}
                    </div>
                    <div className="flex items-center gap-2">
                      <label className="text-xs text-slate-600">
                        <span className="sr-only">Role of {m.email}</span>
                        <select
                          value={m.role}
                          onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as StoreRole })}
                          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button type="button" onClick={() => remove.mutate(m.userId)} className="rounded-md px-2 py-1 text-sm text-rose-700 hover:bg-rose-50">
                        Remove<span className="sr-only"> {m.email}</span>
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Pending invitations">
            {team.isSuccess && team.data.invites.length === 0 ? (
              <EmptyState compact title="No pending invitations" />
            ) : (
              <ul className="divide-y divide-slate-100">
                {team.data?.invites.map((i) => (
                  <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                    <span className="truncate">
                      {i.email} · {i.role}
                    </span>
                    <button type="button" onClick={() => revoke.mutate(i.id)} className="rounded-md px-2 py-1 text-rose-700 hover:bg-rose-50">
                      Revoke<span className="sr-only"> the invitation of {i.email}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </div>
  );
}

export default TeamSettingsPage;
