import { createContext, useContext } from 'react';
import type { LiveStatus } from '../api/types';

/** How often analytics queries poll while live updates are unavailable. */
export const POLL_INTERVAL_MS = 60_000;

/** The live-updates connection state of the current store; null outside the app shell (tests). */
export const LiveContext = createContext<LiveStatus | null>(null);

export function useLiveStatus(): LiveStatus | null {
  return useContext(LiveContext);
}

/**
 * `refetchInterval` for the data hooks: nothing while the WebSocket is live (or still
 * connecting), polling when it is degraded or down.
 */
export function usePollInterval(): number | false {
  const status = useContext(LiveContext);
  return status === 'reconnecting' || status === 'polling' ? POLL_INTERVAL_MS : false;
}
