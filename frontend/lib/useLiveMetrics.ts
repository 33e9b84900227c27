"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { getSocketToken, useSession } from "./auth/state";
import { INITIAL_STATE, RealtimeClient, type RealtimeState } from "./realtime";
import { useAppConfig } from "./useAppConfig";

const subscribeNothing = () => () => {};
// The client's own initial state: the same snapshot before and after it exists, so no re-render.
const beforeStart = () => INITIAL_STATE;

/**
 * One realtime connection while there is a session (or no sign-in at all), opened once the config
 * is known; `active` is false while signed out, when the server would refuse the socket.
 */
export function useLiveMetrics(): { state: RealtimeState; refresh: () => void; active: boolean } {
  const config = useAppConfig();
  const { status } = useSession();
  const active = status === "signed-in" || status === "disabled";
  // Constructing a client has no side effect; start() opens the socket. A token refresh does not
  // make a new client: the client asks getSocketToken before every (re)connect.
  const client = useMemo(
    () =>
      config && active
        ? new RealtimeClient({
        url: config.wsUrl,
        heartbeatMs: config.wsHeartbeatMs,
        maxDelayMs: config.wsReconnectMaxMs,
        getToken: config.auth ? getSocketToken : undefined,
      })
        : null,
    [config, active],
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
  return { state, refresh: () => client?.requestMetrics(), active };
}
