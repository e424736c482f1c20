import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage, isApiError } from '../api/client';
import type { Me } from '../api/types';
import { authKeys } from '../api/queries';
import { useLogin } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';

const HOME = '/analytics/wismo';

/** Only same-app paths are followed after login. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return HOME;
  return next;
}

export function LoginPage() {
  usePageTitle('Sign in');
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (queryClient.getQueryData<Me>(authKeys.me)) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The browser keeps the session in the httpOnly cookie: it never asks for the token.
    login.mutate({ email: email.trim(), password, returnToken: false }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const error = login.error
    ? isApiError(login.error) && (login.error.status === 401 || login.error.status === 400)
      ? 'Incorrect email or password.'
      : errorMessage(login.error)
    : null;

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="h-9 w-9" />
          <span className="text-xl font-semibold tracking-tight text-slate-900">WISMO Analytics</span>
        </div>
        <form onSubmit={submit} className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate={false}>
          <h1 className="text-lg font-semibold text-slate-900">Sign in to your store</h1>
          <label className="block text-sm font-medium text-slate-700">
            Email
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600"
            />
          </label>
          <label className="block text-sm font-medium text-slate-700">
            Password
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600"
            />
          </label>
          {error && (
            <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={login.isPending}
            className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
          >
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
          {searchParams.get('reset') && (
            <p role="status" className="text-sm text-emerald-700">
              Your password is changed: sign in with the new one.
            </p>
          )}
          <p className="flex justify-between text-sm">
            <Link className="font-medium text-indigo-700 underline" to="/forgot-password">
              Forgot your password?
            </Link>
            <Link className="font-medium text-indigo-700 underline" to="/signup">
              New install? Create a store
            </Link>
          </p>
        </form>
      </div>
    </main>
  );
}

export default LoginPage;
