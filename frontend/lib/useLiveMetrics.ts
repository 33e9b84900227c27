"use client";

import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from "react";
import { getSocketToken, useSession } from "./auth/state";
import { setSharedClient } from "./liveChannel";
import type { RealtimeClient } from "./realtime";
import { INITIAL_STATE, type RealtimeState } from "./realtime/state";
import { useAppConfig } from "./useAppConfig";

// The client (with its backoff and protocol) is its own chunk, not part of every page's first JS:
// it is fetched on mount, in parallel with /config.json, which the connection waits for anyway.
const loadClient = () =>
  import("./realtime/client").then((module) => module.RealtimeClient);

const subscribeNothing = () => () => {};
// The client's own initial state: the same snapshot before and after it exists, so no re-render.
const beforeStart = () => INITIAL_STATE;

/**
 * One realtime connection while there is a session (or no sign-in at all), opened once the config
 * is known; `active` is false while signed out, when the server would refuse the socket.
 */
export function useLiveMetrics(): {
  state: RealtimeState;
  refresh: () => void;
  active: boolean;
} {
  const config = useAppConfig();
  const { status } = useSession();
  const [Client, setClient] = useState<typeof RealtimeClient | null>(null);
  useEffect(() => {
    let mounted = true;
    void loadClient().then((loaded) => {
      if (mounted) setClient(() => loaded);
    });
    return () => {
      mounted = false;
    };
  }, []);
  const active = status === "signed-in" || status === "disabled";
  // Constructing a client has no side effect; start() opens the socket. A token refresh does not
  // make a new client: the client asks getSocketToken before every (re)connect.
  const client = useMemo(
    () =>
      Client && config && active
        ? new Client({
            url: config.wsUrl,
            heartbeatMs: config.wsHeartbeatMs,
            maxDelayMs: config.wsReconnectMaxMs,
            getToken: config.auth ? getSocketToken : undefined,
          })
        : null,
    [Client, config, active],
  );

  useEffect(() => {
    client?.start();
    setSharedClient(client); // pages join their topics on this same connection (lib/liveChannel.ts)
    return () => {
      setSharedClient(null);
      client?.stop();
    };
  }, [client]);

  const state = useSyncExternalStore(
    client?.subscribe ?? subscribeNothing,
    client?.getState ?? beforeStart,
    beforeStart,
  );
  const refresh = useCallback(() => client?.requestMetrics(), [client]);
  return { state, refresh, active };
}
