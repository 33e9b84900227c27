"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { INITIAL_STATE, RealtimeClient, type RealtimeState } from "./realtime";
import { useAppConfig } from "./useAppConfig";

const subscribeNothing = () => () => {};
// The client's own initial state: the same snapshot before and after it exists, so no re-render.
const beforeStart = () => INITIAL_STATE;

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
