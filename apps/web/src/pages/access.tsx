import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../api/client';
import { api } from '../api/endpoints';
import type { Me } from '../api/types';
import { LoadingBlock } from '../components/ui/Skeleton';
import { authKeys } from '../api/queries';
import { usePageTitle } from '../hooks/usePageTitle';

const HOME = '/analytics/wismo';
const INPUT =
  'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600';
const BUTTON =
  'w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60';

/** The token of an emailed link travels in the fragment, so it never reaches a server log. */
export function tokenFromHash(hash: string): string {
  return decodeURIComponent(hash.replace(/^#/, ''));
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="h-9 w-9" />
          <span className="text-xl font-semibold tracking-tight text-slate-900">WISMO Analytics</span>
        </div>
        <div className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
          {children}
        </div>
      </div>
    </main>
  );
}

function Field(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  hint?: string;
}) {
  const { label, name, value, onChange, type = 'text', autoComplete, required = true, minLength, hint } = props;
  return (
    <label className="block text-sm font-medium text-slate-700">
      {label}
      <input
        type={type}
        name={name}
        autoComplete={autoComplete}
        required={required}
        minLength={minLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={INPUT}
      />
      {hint && <span className="mt-1 block text-xs font-normal text-slate-500">{hint}</span>}
    </label>
  );
}

function Failure({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
      {errorMessage(error)}
    </p>
  );
}

function useSignedIn() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return (me: Me) => {
    queryClient.setQueryData<Me>(authKeys.me, me);
    navigate(HOME, { replace: true });
  };
}

export function SignupPage() {
  usePageTitle('Create your store');
  const status = useQuery({ queryKey: ['auth', 'signup'], queryFn: ({ signal }) => api.signupStatus(signal) });
  const signedIn = useSignedIn();
  const [form, setForm] = useState({ storeName: '', timezone: browserTimeZone(), currency: 'USD', name: '', email: '', password: '' });
  const signup = useMutation({ mutationFn: () => api.signup({ ...form, name: form.name || null }), onSuccess: signedIn });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  if (status.isPending) return <LoadingBlock className="m-6 h-64" />;
  if (status.isError)
    return (
      <Frame title="Create your store">
        <Failure error={status.error} />
      </Frame>
    );
  if (!status.data.open)
    return (
      <Frame title="This install already has an owner">
        <p className="text-sm text-slate-600">Ask the store’s owner for an invitation, then follow the link in your email.</p>
        <Link className="text-sm font-medium text-indigo-700 underline" to="/login">
          Sign in
        </Link>
      </Frame>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signup.mutate();
  };
  return (
    <Frame title="Create your store">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Store name" name="storeName" value={form.storeName} onChange={set('storeName')} autoComplete="organization" />
        <Field label="Time zone" name="timezone" value={form.timezone} onChange={set('timezone')} hint="IANA name, e.g. Europe/Paris: a “day” is a day here" />
        <Field label="Currency" name="currency" value={form.currency} onChange={set('currency')} minLength={3} />
        <Field label="Your name" name="name" value={form.name} onChange={set('name')} autoComplete="name" required={false} />
        <Field label="Email" name="email" type="email" value={form.email} onChange={set('email')} autoComplete="username" />
        <Field label="Password" name="password" type="password" value={form.password} onChange={set('password')} autoComplete="new-password" minLength={8} hint="At least 8 characters" />
        <Failure error={signup.error} />
        <button type="submit" disabled={signup.isPending} className={BUTTON}>
          {signup.isPending ? 'Creating…' : 'Create store'}
        </button>
      </form>
    </Frame>
  );
}

export function InvitePage() {
  usePageTitle('Join your team');
  const token = tokenFromHash(useLocation().hash);
  const preview = useQuery({ queryKey: ['invite', token], queryFn: () => api.previewInvite(token), enabled: token !== '', retry: false });
  const signedIn = useSignedIn();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({ mutationFn: () => api.acceptInvite({ token, name: name || null, password }), onSuccess: signedIn });

  if (!token)
    return (
      <Frame title="Join your team">
        <p className="text-sm text-slate-600">Open the link from your invitation email.</p>
      </Frame>
    );
  if (preview.isPending) return <LoadingBlock className="m-6 h-64" />;
  if (preview.isError)
    return (
      <Frame title="Join your team">
        <Failure error={preview.error} />
        <p className="text-sm text-slate-600">Ask the store’s owner to send a new invitation.</p>
      </Frame>
    );
  const { email, role, storeName, hasAccount } = preview.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  return (
    <Frame title={`Join ${storeName}`}>
      <p className="text-sm text-slate-600">
        You are invited as <strong>{role}</strong> with <strong>{email}</strong>.
      </p>
      <form onSubmit={submit} className="space-y-4">
        {!hasAccount && <Field label="Your name" name="name" value={name} onChange={setName} autoComplete="name" required={false} />}
        <Field
          label={hasAccount ? 'Your current password' : 'Choose a password'}
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete={hasAccount ? 'current-password' : 'new-password'}
          minLength={hasAccount ? undefined : 8}
          hint={hasAccount ? 'This address already has an account' : 'At least 8 characters'}
        />
        <Failure error={accept.error} />
        <button type="submit" disabled={accept.isPending} className={BUTTON}>
          {accept.isPending ? 'Joining…' : 'Join the store'}
        </button>
      </form>
    </Frame>
  );
}

export function ForgotPasswordPage() {
  usePageTitle('Forgot your password');
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => api.requestPasswordReset(email.trim()) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <Frame title="Reset your password">
      {request.isSuccess ? (
        <p role="status" className="text-sm text-slate-700">
          If an account uses {email.trim()}, we have emailed it a link to choose a new password. The link works once.
        </p>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <Field label="Email" name="email" type="email" value={email} onChange={setEmail} autoComplete="username" />
          <Failure error={request.error} />
          <button type="submit" disabled={request.isPending} className={BUTTON}>
            {request.isPending ? 'Sending…' : 'Email me a reset link'}
          </button>
        </form>
      )}
      <Link className="block text-sm font-medium text-indigo-700 underline" to="/login">
        Back to sign in
      </Link>
    </Frame>
  );
}

export function ResetPasswordPage() {
  usePageTitle('Choose a new password');
  const token = tokenFromHash(useLocation().hash);
  const [password, setPassword] = useState('');
  const confirm = useMutation({ mutationFn: () => api.confirmPasswordReset(token, password) });
  if (confirm.isSuccess) return <Navigate to="/login?reset=1" replace />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  return (
    <Frame title="Choose a new password">
      {token ? (
        <form onSubmit={submit} className="space-y-4">
          <Field label="New password" name="password" type="password" value={password} onChange={setPassword} autoComplete="new-password" minLength={8} hint="At least 8 characters; you will be signed out everywhere" />
          <Failure error={confirm.error} />
          <button type="submit" disabled={confirm.isPending} className={BUTTON}>
            {confirm.isPending ? 'Saving…' : 'Set new password'}
          </button>
        </form>
      ) : (
        <p className="text-sm text-slate-600">Open the link from your reset email.</p>
      )}
    </Frame>
  );
}
