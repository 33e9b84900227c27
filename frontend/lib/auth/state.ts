// What every page needs of the session, kept small: the state as an external store for React,
// and the way to the session store. The store itself (./session, and the Cognito client it
// uses) is loaded only when config.json asks for sign-in: the home page's JS budget has no room
// for it, and a stack without sign-in never downloads it.

import { useEffect, useSyncExternalStore } from "react";
import { loadConfig } from "../config";
import type { Role } from "../contract.gen";
import type { SocketToken } from "../realtime";
import type { SessionStore } from "./session";

/** Lowest first: each role includes the ones before it. */
export const ROLES: readonly Role[] = ["viewer", "reviewer", "admin"];

/** Does `role` include `needed`? */
export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface User {
  sub: string;
  email: string;
  /** The token's `name`, else the e-mail address. */
  name: string;
  role: Role;
  /** When the id token expires, ms since the epoch. */
  expiresAt: number;
}

/**
 * loading: the config and a stored session are being read. disabled: the app has no sign-in
 * (`auth` absent or mode `none`), everything is allowed. signed-out: `reason` says why when it
 * was not the user's choice.
 */
export type SessionState =
  | { status: "loading" }
  | { status: "disabled" }
  | { status: "signed-out"; reason?: string }
  | { status: "signed-in"; user: User; idToken: string };

const LOADING: SessionState = { status: "loading" };
let state: SessionState = LOADING;
const listeners = new Set<() => void>();

export function publishSession(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const getState = () => state;
const getServerState = () => LOADING;

/** May the session use a control that needs `role`? Always, without sign-in. */
export function allows(session: SessionState, role: Role): boolean {
  return session.status === "disabled" || (session.status === "signed-in" && atLeast(session.user.role, role));
}

let store: Promise<SessionStore | null> | undefined;

/** The page's session store, started; null when the app has no sign-in. Loaded once. */
export function sessionStore(): Promise<SessionStore | null> {
  store ??= loadConfig().then(async ({ auth }) => {
    if (!auth) {
      publishSession({ status: "disabled" });
      return null;
    }
    const { SessionStore } = await import("./session");
    const session = new SessionStore(auth, publishSession);
    await session.start();
    return session;
  });
  return store;
}

/** The WebSocket's `?token=`: the id token in memory and its expiry; null without a session. */
export function getSocketToken(): SocketToken | null {
  return state.status === "signed-in" ? { token: state.idToken, expiresAt: state.user.expiresAt } : null;
}

/** The session's state; "loading" on the server and until the config and stored session are read. */
export function useSession(): SessionState {
  useEffect(() => {
    void sessionStore();
  }, []);
  return useSyncExternalStore(subscribe, getState, getServerState);
}

/** Forgets the session (tests only). */
export function resetSessionForTests(): void {
  void store?.then((session) => session?.dispose());
  store = undefined;
  state = LOADING;
}
