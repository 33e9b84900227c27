// The signed-in session: the tokens, their refresh, sign-in and sign-out. Loaded on demand by
// ./state, which holds what every page needs (the state React renders); this module publishes
// into it.
//
// The id and access tokens live in memory only. The refresh token lives in sessionStorage, so a
// reload (or the next page of the same tab) stays signed in without the password being typed
// again; it is gone when the tab closes and is not shared with other tabs. Script injected into
// the page could read it there, as it could read the in-memory tokens: see frontend/README.md.
//
// The id token is refreshed REFRESH_LEAD_MS before its `exp`; a caller asking for a token that
// expires sooner than that (a timer delayed by a sleeping laptop) waits for the refresh.

import type { AuthSettings } from "../config";
import type { Role } from "../contract.gen";
import * as cognito from "./cognito";
import { claimsOf, expiresAt } from "./jwt";
import { ROLES, type SessionState, type User } from "./state";

export const STORAGE_KEY = "invoice-auth";
export const REFRESH_LEAD_MS = 60_000;
/** Retry of a refresh that failed for want of a network. */
export const REFRESH_RETRY_MS = 15_000;
export const EXPIRED = "Your session has expired. Please sign in again.";

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

function tabStorage(): KeyValueStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled by the browser: a reload then asks for the password again
  }
}

/** The highest role among the id token's `cognito:groups`; none known → viewer. */
export function roleOf(groups: unknown): Role {
  return ROLES.filter((role) => Array.isArray(groups) && groups.includes(role)).at(-1) ?? "viewer";
}

function userOf(idToken: string): User {
  const claims = claimsOf(idToken) ?? {};
  const email = claims.email ?? "";
  return {
    sub: claims.sub ?? "",
    email,
    name: claims.name || email || "Signed in",
    role: roleOf(claims["cognito:groups"]),
    expiresAt: expiresAt(idToken) ?? 0,
  };
}

export class SessionStore {
  private state: SessionState = { status: "loading" };
  private tokens: cognito.Tokens | null = null;
  private challenge: cognito.NewPasswordChallenge | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private started: Promise<void> | null = null;

  constructor(
    private readonly auth: AuthSettings,
    /** Told every new state (on the page: ./state's publishSession). */
    private readonly publish: (state: SessionState) => void = () => {},
    private readonly storage: KeyValueStorage | null = tabStorage(),
    private readonly now: () => number = Date.now,
  ) {}

  getState(): SessionState {
    return this.state;
  }

  /** Resumes a stored session; once, every caller shares the promise. */
  start(): Promise<void> {
    this.started ??= this.resume();
    return this.started;
  }

  private async resume(): Promise<void> {
    const refreshToken = this.storage?.getItem(STORAGE_KEY);
    if (refreshToken) {
      this.tokens = { idToken: "", accessToken: "", refreshToken };
      if (await this.refresh()) return;
    }
    if (this.state.status === "loading") this.set({ status: "signed-out" });
  }

  private set(state: SessionState): void {
    this.state = state;
    this.publish(state);
  }

  /** Signs in; resolves `newPasswordRequired` when Cognito asks for a new password first. */
  async signIn(email: string, password: string): Promise<{ newPasswordRequired: boolean }> {
    return this.accept(await cognito.signIn(this.auth, email.trim(), password));
  }

  /** Answers the new-password challenge of the last signIn. */
  async completeNewPassword(newPassword: string): Promise<{ newPasswordRequired: boolean }> {
    if (!this.challenge) throw new Error("Sign in with your current password first.");
    return this.accept(await cognito.completeNewPassword(this.auth, this.challenge, newPassword));
  }

  private accept(result: cognito.SignInResult): { newPasswordRequired: boolean } {
    if ("challenge" in result) {
      this.challenge = result.challenge;
      return { newPasswordRequired: true };
    }
    this.challenge = null;
    this.useTokens(result.tokens);
    return { newPasswordRequired: false };
  }

  private useTokens(tokens: cognito.Tokens): void {
    this.tokens = tokens;
    if (tokens.refreshToken) this.storage?.setItem(STORAGE_KEY, tokens.refreshToken);
    const user = userOf(tokens.idToken);
    this.schedule(user.expiresAt - REFRESH_LEAD_MS - this.now());
    this.set({ status: "signed-in", user, idToken: tokens.idToken });
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    // setTimeout fires at once for delays over 2^31-1 ms; no token lives that long anyway.
    this.timer = setTimeout(() => void this.refresh(), Math.min(Math.max(ms, 0), 2 ** 31 - 1));
  }

  /**
   * New tokens from the refresh token; true when they came. One at a time: concurrent callers
   * share the call. A refused refresh token signs out; a network failure retries later.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return false;
    try {
      const tokens = await cognito.refresh(this.auth, refreshToken);
      if (this.tokens?.refreshToken !== refreshToken) return false; // signed out meanwhile
      this.useTokens(tokens);
      return true;
    } catch (error) {
      if (error instanceof cognito.CognitoError && /^(NetworkError|TooManyRequests|InternalError)/.test(error.code)) {
        // Keep the refresh token: the network may come back before the id token expires.
        this.schedule(REFRESH_RETRY_MS);
        if (this.state.status === "loading") this.set({ status: "signed-out", reason: error.message });
      } else {
        this.clear(this.state.status === "loading" ? undefined : EXPIRED);
      }
      return false;
    }
  }

  /**
   * The id token for `Authorization: Bearer`, refreshed first when it expires within
   * REFRESH_LEAD_MS; null without a session.
   */
  readonly getIdToken = async (): Promise<string | null> => {
    await this.start();
    if (this.state.status !== "signed-in") return null;
    if (this.state.user.expiresAt - this.now() < REFRESH_LEAD_MS) await this.refresh();
    return this.tokens?.idToken || null;
  };

  /**
   * Sends an API request with the id token; on 401 refreshes once and sends again; still 401 ends
   * the session (the page then goes to sign-in). Null without a session: nothing was sent.
   */
  async authorized<R extends { status: number }>(
    send: (headers: Record<string, string>) => Promise<R>,
  ): Promise<R | null> {
    const bearer = async () => {
      const token = await this.getIdToken();
      return token ? { Authorization: `Bearer ${token}` } : null;
    };
    let headers = await bearer();
    if (!headers) return null;
    let answer = await send(headers);
    if (answer.status === 401 && (await this.refresh()) && (headers = await bearer())) answer = await send(headers);
    if (answer.status === 401) this.expire();
    return answer;
  }

  /** The API refused the token even after a refresh: back to the sign-in page. */
  expire(): void {
    if (this.state.status === "signed-in") this.clear(EXPIRED);
  }

  /** Forgets every token at once; tells Cognito in the background (best effort). */
  signOut(): void {
    const { tokens } = this;
    this.clear();
    if (tokens) void cognito.signOut(this.auth, tokens);
  }

  private clear(reason?: string): void {
    clearTimeout(this.timer);
    this.tokens = null;
    this.challenge = null;
    this.storage?.removeItem(STORAGE_KEY);
    this.set(reason ? { status: "signed-out", reason } : { status: "signed-out" });
  }

  /** Stops the refresh timer (tests). */
  dispose(): void {
    clearTimeout(this.timer);
  }
}
