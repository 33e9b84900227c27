"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { RealtimeClient, type RealtimeState } from "./realtime";
import { useAppConfig } from "./useAppConfig";

const BEFORE_START: RealtimeState = {
  status: "connecting",
  metrics: null,
  updatedAt: null,
  receivedAt: null,
  retryAt: null,
  error: null,
};

const subscribeNothing = () => () => {};
const beforeStart = () => BEFORE_START;

/** One realtime connection for the component's lifetime, opened once the config is known. */
export function useLiveMetrics(): { state: RealtimeState; refresh: () => void } {
  const config = useAppConfig();
  // Constructing a client has no side effect; start() opens the socket.
  const client = useMemo(
    () =>
      config &&
      new RealtimeClient({ url: config.wsUrl, heartbeatMs: config.wsHeartbeatMs, maxDelayMs: config.wsReconnectMaxMs }),
    [config],
  );

  useEffect(() => {
    client?.start();
    return () => client?.stop();
  }, [client]);

  const state = useSyncExternalStore(
    client?.subscribe ?? subscribeNothing,
    client?.getState ?? beforeStart,
    beforeStart,
  );
  return { state, refresh: () => client?.requestMetrics() };
}
