import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type InquiryDrillQuery, type ShipmentDrillQuery } from '../api/endpoints';
import { analyticsQueries, AT_RISK_PAGE, DRILLDOWN_PAGE_SIZE, wismoKeys } from '../api/queries';
import type { Alert, MetricDefinition } from '../api/types';
import { toAnalyticsQuery, type DashboardFilters } from '../lib/filters';
import { usePollInterval } from './liveContext';

/**
 * Data hooks of the dashboard, on the keys and fetchers of api/queries.ts. The retry policy is
 * the QueryClient's default (see app/queryClient.ts).
 *
 * Live updates (hooks/useLiveUpdates.ts) invalidate these keys; while the live connection is
 * down or degraded, `usePollInterval()` makes the analytics queries poll instead.
 */

/** The registry's definitions by API field name (`inquiryRate`). */
export type MetricDefinitions = Partial<Record<string, MetricDefinition>>;

function byKey(definitions: MetricDefinition[]): MetricDefinitions {
  return Object.fromEntries(definitions.map((d) => [d.key, d]));
}

export function useMetricDefinitions(storeId: string) {
  return useQuery({ ...analyticsQueries.metricDefinitions(storeId), select: byKey });
}

/** The overview metrics (the brief's `useWISMOMetrics(storeId, dateRange)`). */
export function useWISMOMetrics(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.overview(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useInquiryTrends(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.inquiries(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useFulfillmentMetrics(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.fulfillment(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useSatisfactionMetrics(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.satisfaction(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useInsights(storeId: string, filters: DashboardFilters) {
  return useQuery(analyticsQueries.insights(storeId, filters));
}

/** Filters a drill-down adds to the page's filters (the API's parameter names). */
export type DrillParams = Partial<
  Record<Exclude<keyof InquiryDrillQuery | keyof ShipmentDrillQuery, 'cursor' | 'limit'>, string | number | boolean>
>;

export function useInquiryDrilldown(storeId: string, filters: DashboardFilters, drill: DrillParams, enabled = true) {
  const query = { ...toAnalyticsQuery(filters), ...drill, limit: DRILLDOWN_PAGE_SIZE } as InquiryDrillQuery;
  return useInfiniteQuery({
    queryKey: wismoKeys.drilldown(storeId, 'inquiries', query),
    queryFn: ({ pageParam, signal }) => api.drilldownInquiries({ ...query, cursor: pageParam }, { storeId, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useShipmentDrilldown(storeId: string, filters: DashboardFilters, drill: DrillParams, enabled = true) {
  // The shipment list takes one carrier (a shipment has one), not the summaries' filter lists.
  const { channel: _c, inquiry_type: _t, carrier: _k, ...base } = toAnalyticsQuery(filters);
  const carrier = filters.carrier ? { carrier: filters.carrier } : {};
  const query = { ...base, ...carrier, ...drill, limit: DRILLDOWN_PAGE_SIZE } as ShipmentDrillQuery;
  return useInfiniteQuery({
    queryKey: wismoKeys.drilldown(storeId, 'shipments', query),
    queryFn: ({ pageParam, signal }) => api.drilldownShipments({ ...query, cursor: pageParam }, { storeId, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useOrderTimeline(storeId: string, orderNumber: string) {
  return useQuery({
    queryKey: wismoKeys.timeline(storeId, orderNumber),
    queryFn: ({ signal }) => api.orderTimeline(orderNumber, { storeId, signal }),
    enabled: orderNumber.length > 0,
    refetchInterval: usePollInterval(),
  });
}

export function useAtRisk(storeId: string, limit = AT_RISK_PAGE) {
  return useQuery({
    ...analyticsQueries.atRisk(storeId, limit),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useAlerts(storeId: string) {
  return useQuery({ ...analyticsQueries.alerts(storeId), refetchInterval: usePollInterval() });
}

export function useAcknowledgeAlert(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (alertId: string) => api.acknowledgeAlert(alertId, { storeId }),
    onSuccess: (acknowledged) => {
      queryClient.setQueryData<Alert[] | null>(wismoKeys.alerts(storeId), (alerts) =>
        alerts ? alerts.filter((a) => a.id !== acknowledged.id) : alerts,
      );
      void queryClient.invalidateQueries({ queryKey: wismoKeys.alerts(storeId) });
    },
  });
}
