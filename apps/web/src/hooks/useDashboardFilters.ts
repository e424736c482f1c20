import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { parseFilters, writeFilters, type DashboardFilters } from '../lib/filters';

/** The view's range, interval and filters, read from and written to the URL. */
export function useDashboardFilters(): [DashboardFilters, (patch: Partial<DashboardFilters>) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(() => parseFilters(search), [search]);

  const update = useCallback(
    (patch: Partial<DashboardFilters>) => {
      setSearchParams(
        (prev) => {
          const next: DashboardFilters = { ...parseFilters(prev), ...patch };
          if (next.dateRange !== 'custom') {
            delete next.start;
            delete next.end;
          }
          return writeFilters(next, prev);
        },
        { replace: false },
      );
    },
    [setSearchParams],
  );

  return [filters, update];
}
