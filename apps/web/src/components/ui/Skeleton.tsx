export function Skeleton({ className = '' }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded-md bg-slate-200/80 ${className}`} />;
}

/** A placeholder with a label for assistive technology. */
export function LoadingBlock({ label = 'Loading…', className = 'h-64' }: { label?: string; className?: string }) {
  return (
    <div role="status" aria-live="polite" className="w-full">
      <span className="sr-only">{label}</span>
      <Skeleton className={`w-full ${className}`} />
    </div>
  );
}
