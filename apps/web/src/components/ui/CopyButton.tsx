import { useEffect, useState } from 'react';

/** Copies `text` to the clipboard and says so; `what` names it for screen readers. */
export function CopyButton({ text, what, className = '' }: { text: string; what: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <button
      type="button"
      onClick={() => void copy()}
      className={`shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 ${className}`}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select and copy' : 'Copy'}</span>
{' '}
      <span className="sr-only">{what}</span>
    </button>
  );
}

/** A value to paste elsewhere (URL, key, snippet), wrapped on narrow screens, with its copy button. */
export function CopyField({ value, what, multiline = false }: { value: string; what: string; multiline?: boolean }) {
  return (
    <div className="flex min-w-0 items-start gap-2">
      {multiline ? (
        <pre className="min-w-0 flex-1 whitespace-pre-wrap break-all rounded-md bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-800">{value}</pre>
      ) : (
        <code className="min-w-0 flex-1 break-all rounded-md bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-800">{value}</code>
      )}
      <CopyButton text={value} what={what} />
    </div>
  );
}
