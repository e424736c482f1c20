import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../api/client';
import { api } from '../api/endpoints';
import type { LiveStatus } from '../api/types';
import { todayInZone } from '../lib/format';
import { backoffDelay, isAffected, parseLiveMessage } from '../lib/live';
import { wismoKeys } from '../api/queries';

export const LIVE_PATH = '/api/v1/analytics/wismo/live';
/** Close codes after which reconnecting cannot help: bad credential, foreign store. */
export const FINAL_CLOSE_CODES = new Set([4401, 4404]);

export interface LiveOptions {
  /** Failed attempts in a row shown as "Reconnecting" before the indicator says "Polling". */
  reconnectingAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Updates arriving within this window are applied together (bounded latency and rate). */
  batchMs?: number;
  /** No message (the server pings every 25 s) for this long: the socket is presumed dead. */
  silenceMs?: number;
  /** Where the socket's single-use ticket comes from (tests give one synchronously). */
  ticket?: (storeId: string) => string | Promise<string>;
}

/** A fresh ticket for each connection: `POST .../live/ticket` with the session cookie. */
export async function fetchLiveTicket(storeId: string): Promise<string> {
  return (await api.liveTicket({ storeId })).ticket;
}

const DEFAULTS: Required<LiveOptions> = {
  reconnectingAttempts: 3,
  initialBackoffMs: 1000,
  maxBackoffMs: 30_000,
  batchMs: 300,
  silenceMs: 65_000,
  ticket: fetchLiveTicket,
};

/**
 * ws(s)://<API host>/api/v1/analytics/wismo/live?ticket=... The ticket (30 s, one use) names
 * the store and the session, so no lasting credential is ever put in a URL.
 */
export function liveUrl(ticket: string): string {
  const base: string = import.meta.env.VITE_API_BASE_URL || window.location.origin;
  const url = new URL(LIVE_PATH, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('ticket', ticket);
  return url.toString();
}

/**
 * Keeps a WebSocket to the store's live feed open and refetches what an update changes:
 * on `metrics.updated`, the analytics queries whose range (or previous period) includes
 * one of the dates, plus drill-downs, timelines, at-risk and alerts. Reconnects with
 * exponential backoff; after a reconnect (or when the server recovers from a degraded
 * bus) everything of the store is refetched, since messages may have been missed.
 *
 * Returns the status for the header: while it is not `live`, the data hooks poll
 * (see `usePollInterval`).
 */
export function useLiveUpdates(storeId: string, timeZone: string, options: LiveOptions = {}): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const opts = { ...DEFAULTS, ...options };
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const zoneRef = useRef(timeZone);
  zoneRef.current = timeZone;

  useEffect(() => {
    const o = optsRef.current;
    if (typeof WebSocket === 'undefined') {
      setStatus('polling');
      return;
    }
    let socket: WebSocket | null = null;
    let disposed = false;
    let attempt = 0;
    let everReady = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let silenceTimer: ReturnType<typeof setTimeout> | undefined;
    let batchTimer: ReturnType<typeof setTimeout> | undefined;
    const pending = new Set<string>();

    const invalidateStore = () => void queryClient.invalidateQueries({ queryKey: wismoKeys.store(storeId) });

    const flush = () => {
      batchTimer = undefined;
      const dates = [...pending];
      pending.clear();
      if (dates.length === 0) return;
      const today = todayInZone(zoneRef.current);
      void queryClient.invalidateQueries({
        predicate: (query) => isAffected(query.queryKey, query.state.data, storeId, dates, today),
      });
    };

    const watchSilence = () => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => socket?.close(4000, 'silent'), o.silenceMs);
    };

    const scheduleReconnect = () => {
      attempt += 1;
      setStatus(attempt > o.reconnectingAttempts ? 'polling' : 'reconnecting');
      retryTimer = setTimeout(connect, backoffDelay(attempt, o.initialBackoffMs, o.maxBackoffMs));
    };

    function connect() {
      retryTimer = undefined;
      let ticket: string | Promise<string>;
      try {
        ticket = o.ticket(storeId);
      } catch {
        scheduleReconnect();
        return;
      }
      if (typeof ticket === 'string') {
        open(ticket);
        return;
      }
      ticket.then(
        (value) => {
          if (!disposed) open(value);
        },
        (error: unknown) => {
          if (disposed) return;
          // 401: the session ended (the next poll's 401 sends the user to the login page);
          // 404: not this user's store. Asking again would fail the same way.
          if (isApiError(error) && (error.status === 401 || error.status === 404)) setStatus('polling');
          else scheduleReconnect();
        },
      );
    }

    function open(ticket: string) {
      let ws: WebSocket;
      try {
        ws = new WebSocket(liveUrl(ticket));
      } catch {
        scheduleReconnect();
        return;
      }
      socket = ws;
      watchSilence();
      ws.onmessage = (event: MessageEvent) => {
        if (disposed || socket !== ws) return;
        watchSilence();
        const message = parseLiveMessage(event.data);
        if (!message) return;
        switch (message.type) {
          case 'live.ready':
            attempt = 0;
            setStatus(message.degraded ? 'polling' : 'live');
            if (everReady) invalidateStore();
            everReady = true;
            break;
          case 'live.degraded':
            setStatus('polling');
            break;
          case 'live.restored':
            setStatus('live');
            invalidateStore();
            break;
          case 'metrics.updated':
            if (message.storeId && message.storeId !== storeId) return;
            for (const date of message.dates) pending.add(date);
            batchTimer ??= setTimeout(flush, o.batchMs);
            break;
          case 'ping':
            break;
        }
      };
      ws.onclose = (event: CloseEvent) => {
        if (disposed || socket !== ws) return;
        socket = null;
        clearTimeout(silenceTimer);
        if (FINAL_CLOSE_CODES.has(event.code)) {
          // 4401: the session ended (the next poll's 401 sends the user to the login page);
          // 4404: not this user's store. Reconnecting would fail the same way.
          setStatus('polling');
          return;
        }
        scheduleReconnect();
      };
    }

    setStatus('connecting');
    connect();

    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      clearTimeout(silenceTimer);
      clearTimeout(batchTimer);
      if (socket) {
        socket.onmessage = null;
        socket.onclose = null;
        if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000);
      }
      socket = null;
    };
  }, [storeId, queryClient]);

  return status;
}
