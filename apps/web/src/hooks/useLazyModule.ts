import { useLayoutEffect, useState } from 'react';

/**
 * A module in its own chunk, loaded on first use without Suspense: React 19 holds content
 * that replaces a Suspense fallback until 300 ms after the fallback appeared, so anything
 * whose chunk arrives soon after the first render would be shown that much late. Returns the
 * module once `load` has it (at once when `loaded` already holds it), or that loading failed.
 * Loading starts when `ready`, in a layout effect: right after the commit, without waiting
 * for a paint.
 */
export function useLazyModule<M>(
  load: () => Promise<M>,
  loaded: M | undefined,
  ready = true,
): { module: M | undefined; failed: boolean } {
  const [module, setModule] = useState(loaded);
  const [failed, setFailed] = useState(false);
  useLayoutEffect(() => {
    if (module || !ready) return;
    let mounted = true;
    load().then(
      (found) => mounted && setModule(() => found),
      () => mounted && setFailed(true),
    );
    return () => {
      mounted = false;
    };
  }, [load, module, ready]);
  return { module, failed };
}
