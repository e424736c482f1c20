import { useLayoutEffect, useState } from 'react';

/** A module in its own chunk: imported once, on first `load`; a failed import is tried again. */
export interface LazyModule<M> {
  load: () => Promise<M>;
  /** The module, once an import has brought it in. */
  loaded: () => M | undefined;
}

export function lazyModule<M>(importer: () => Promise<M>): LazyModule<M> {
  let module: M | undefined;
  let loading: Promise<M> | undefined;
  return {
    load: () =>
      (loading ??= importer().then(
        (found) => (module = found),
        (error: unknown) => {
          loading = undefined; // the next use tries again
          throw error;
        },
      )),
    loaded: () => module,
  };
}

/**
 * A lazy module for a component, without Suspense: React 19 holds content that replaces a
 * Suspense fallback until 300 ms after the fallback appeared, so anything whose chunk arrives
 * soon after the first render would be shown that much late. Returns the module once it is in
 * (in the first render when it already is), or that loading failed. Loading starts when
 * `ready`, in a layout effect: right after the commit, without waiting for a paint.
 */
export function useLazyModule<M>(source: LazyModule<M>, ready = true): { module: M | undefined; failed: boolean } {
  const [module, setModule] = useState(source.loaded);
  const [failed, setFailed] = useState(false);
  useLayoutEffect(() => {
    if (module || !ready) return;
    let mounted = true;
    source.load().then(
      (found) => mounted && setModule(() => found),
      () => mounted && setFailed(true),
    );
    return () => {
      mounted = false;
    };
  }, [source, module, ready]);
  return { module, failed };
}
