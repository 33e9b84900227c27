import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EXPIRED, REFRESH_LEAD_MS, REFRESH_RETRY_MS, SessionStore, STORAGE_KEY, roleOf } from "@/lib/auth/session";
import { allows, type SessionState } from "@/lib/auth/state";
import { AUTH, FakeCognito } from "../fakes";

const HOUR = 3_600_000;
let cognito: FakeCognito;
let published: SessionState[];
let store: SessionStore;

function newStore(): SessionStore {
  published = [];
  store = new SessionStore(AUTH, (state) => published.push(state), sessionStorage);
  return store;
}

async function signedIn(email = "rita@example.com"): Promise<SessionStore> {
  newStore();
  await store.start();
  await store.signIn(email, "Secret-123");
  return store;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2025-01-01T12:00:00Z"), toFake: ["setTimeout", "clearTimeout", "Date"] });
  cognito = new FakeCognito({
    "rita@example.com": { password: "Secret-123", groups: ["reviewer"], name: "Rita Review" },
    "vic@example.com": { password: "Secret-123" },
    "ada@example.com": { password: "Secret-123", groups: ["viewer", "admin"] },
    "new@example.com": { password: "Secret-123", mustChangePassword: true },
  });
  vi.stubGlobal("fetch", vi.fn(cognito.fetch));
});

afterEach(() => {
  store?.dispose();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("SessionStore", () => {
  it("starts signed out without a stored session", async () => {
    await newStore().start();
    expect(store.getState()).toEqual({ status: "signed-out" });
    expect(cognito.calls).toEqual([]);
  });

  it("signs in: the user from the id token's claims, the refresh token in sessionStorage only", async () => {
    await signedIn();
    const state = store.getState();
    expect(state).toMatchObject({
      status: "signed-in",
      user: { sub: "sub-rita@example.com", email: "rita@example.com", name: "Rita Review", role: "reviewer", expiresAt: Date.now() + HOUR },
    });
    expect(published.at(-1)).toBe(state);
    expect(sessionStorage.getItem(STORAGE_KEY)).toBe("refresh-1");
    expect(localStorage.length).toBe(0);
    expect(await store.getIdToken()).toMatch(/^ey/);
  });

  it("takes the highest known group as the role, and viewer without one", async () => {
    expect(roleOf(undefined)).toBe("viewer");
    expect(roleOf(["other"])).toBe("viewer");
    expect(roleOf(["viewer", "admin"])).toBe("admin");
    await signedIn("vic@example.com");
    expect(store.getState()).toMatchObject({ user: { name: "vic@example.com", role: "viewer" } });
  });

  it("refreshes a minute before the id token expires, and again after that", async () => {
    await signedIn();
    const first = await store.getIdToken();

    await vi.advanceTimersByTimeAsync(HOUR - REFRESH_LEAD_MS - 1);
    expect(cognito.ops()).toEqual(["InitiateAuth"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(cognito.calls.at(-1)!.body.AuthFlow).toBe("REFRESH_TOKEN_AUTH");
    const second = await store.getIdToken();
    expect(second).not.toBe(first);
    expect(store.getState()).toMatchObject({ user: { expiresAt: Date.now() + HOUR } });

    await vi.advanceTimersByTimeAsync(HOUR - REFRESH_LEAD_MS);
    expect(cognito.ops().filter((op) => op === "InitiateAuth")).toHaveLength(3);
  });

  it("refreshes before handing out a token that is about to expire (a late timer)", async () => {
    await signedIn();
    const first = await store.getIdToken();
    store.dispose(); // the timer never fires, as on a laptop waking up
    vi.setSystemTime(Date.now() + HOUR - 30_000);

    const token = await store.getIdToken();

    expect(token).not.toBe(first);
    expect(cognito.calls.at(-1)!.body.AuthFlow).toBe("REFRESH_TOKEN_AUTH");
  });

  it("shares one refresh between concurrent callers", async () => {
    await signedIn();
    const results = await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(cognito.ops()).toEqual(["InitiateAuth", "InitiateAuth"]);
  });

  it("resumes after a reload from the stored refresh token", async () => {
    await signedIn();
    store.dispose();

    await newStore().start(); // a new page: tokens in memory are gone

    expect(store.getState()).toMatchObject({ status: "signed-in", user: { email: "rita@example.com" } });
    expect(cognito.calls.at(-1)!.body).toMatchObject({ AuthFlow: "REFRESH_TOKEN_AUTH" });
    expect(published[0]).toMatchObject({ status: "signed-in" }); // never a signed-out flash
  });

  it("signs out when the refresh token is refused", async () => {
    await signedIn();
    cognito.revokeAll();

    expect(await store.refresh()).toBe(false);

    expect(store.getState()).toEqual({ status: "signed-out", reason: EXPIRED });
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(await store.getIdToken()).toBeNull();
  });

  it("keeps the session and retries when the refresh fails for want of a network", async () => {
    await signedIn();
    cognito.offline = true;
    expect(await store.refresh()).toBe(false);
    expect(store.getState().status).toBe("signed-in");

    cognito.offline = false;
    await vi.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(cognito.calls.at(-1)!.body.AuthFlow).toBe("REFRESH_TOKEN_AUTH");
    expect(store.getState().status).toBe("signed-in");
  });

  it("asks for a new password when challenged, then signs in", async () => {
    await newStore().start();
    expect(await store.signIn("new@example.com", "Secret-123")).toEqual({ newPasswordRequired: true });
    expect(store.getState().status).toBe("signed-out");

    expect(await store.completeNewPassword("Brand-new-pass-1")).toEqual({ newPasswordRequired: false });

    expect(store.getState()).toMatchObject({ status: "signed-in", user: { email: "new@example.com" } });
  });

  it("signs out: clears memory, storage and the refresh timer, and revokes the token", async () => {
    await signedIn();

    store.signOut();

    expect(store.getState()).toEqual({ status: "signed-out" });
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(await store.getIdToken()).toBeNull();
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(cognito.ops()).toEqual(["InitiateAuth", "RevokeToken"]);
  });

  it("sends with the token, refreshes once on 401, and ends the session on a second 401", async () => {
    await signedIn();
    const seen: string[] = [];
    const send = vi.fn(async (headers: Record<string, string>) => {
      seen.push(headers.Authorization!);
      return { status: 401 };
    });

    expect(await store.authorized(send)).toEqual({ status: 401 });

    expect(send).toHaveBeenCalledTimes(2);
    expect(seen[0]).toMatch(/^Bearer ey/);
    expect(seen[1]).not.toBe(seen[0]); // the refreshed token
    expect(store.getState()).toEqual({ status: "signed-out", reason: EXPIRED });
    expect(await store.authorized(send)).toBeNull(); // no session: nothing sent
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe("allows", () => {
  const user = (role: "viewer" | "reviewer" | "admin"): SessionState => ({
    status: "signed-in",
    idToken: "t",
    user: { sub: "s", email: "e", name: "n", role, expiresAt: 0 },
  });

  it("orders viewer < reviewer < admin; without sign-in everything is allowed", () => {
    expect(allows(user("viewer"), "reviewer")).toBe(false);
    expect(allows(user("reviewer"), "reviewer")).toBe(true);
    expect(allows(user("admin"), "reviewer")).toBe(true);
    expect(allows(user("reviewer"), "admin")).toBe(false);
    expect(allows({ status: "disabled" }, "admin")).toBe(true);
    expect(allows({ status: "signed-out" }, "viewer")).toBe(false);
    expect(allows({ status: "loading" }, "viewer")).toBe(false);
  });
});
