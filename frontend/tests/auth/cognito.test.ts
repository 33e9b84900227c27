import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CognitoError, completeNewPassword, refresh, signIn, signOut } from "@/lib/auth/cognito";
import { claimsOf, expiresAt } from "@/lib/auth/jwt";
import { AUTH, FakeCognito, jwt } from "../fakes";

let cognito: FakeCognito;

beforeEach(() => {
  cognito = new FakeCognito({
    "rita@example.com": { password: "Secret-123", groups: ["reviewer"], name: "Rita Review" },
    "new@example.com": { password: "Temp-pass-1", mustChangePassword: true },
  });
  vi.stubGlobal("fetch", vi.fn(cognito.fetch));
});

afterEach(() => vi.unstubAllGlobals());

describe("Cognito client", () => {
  it("signs in with USER_PASSWORD_AUTH and returns the three tokens", async () => {
    const result = await signIn(AUTH, "rita@example.com", "Secret-123");

    expect("tokens" in result && result.tokens.refreshToken).toBe("refresh-1");
    const [call] = cognito.calls;
    expect(call!.target).toBe("AWSCognitoIdentityProviderService.InitiateAuth");
    expect(call!.headers["Content-Type"]).toBe("application/x-amz-json-1.1");
    expect(call!.body).toEqual({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: "client-1",
      AuthParameters: { USERNAME: "rita@example.com", PASSWORD: "Secret-123" },
    });
    expect(vi.mocked(fetch).mock.calls[0]![0]).toBe("http://cognito.test/");
  });

  it("turns a wrong password into a readable message", async () => {
    const failure = signIn(AUTH, "rita@example.com", "wrong");
    await expect(failure).rejects.toBeInstanceOf(CognitoError);
    await expect(signIn(AUTH, "rita@example.com", "wrong")).rejects.toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect e-mail or password.",
    });
    // An unknown user reads the same: the page does not tell which accounts exist.
    await expect(signIn(AUTH, "nobody@example.com", "x")).rejects.toThrow("Incorrect e-mail or password.");
  });

  it("reads a namespaced __type and an unreachable service", async () => {
    vi.stubGlobal("fetch", async () =>
      new Response(JSON.stringify({ __type: "com.amazonaws.cognito#TooManyRequestsException", message: "Rate exceeded" }), {
        status: 400,
      }),
    );
    await expect(signIn(AUTH, "a", "b")).rejects.toMatchObject({ code: "TooManyRequestsException", message: /Too many attempts/ });
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(signIn(AUTH, "a", "b")).rejects.toMatchObject({ code: "NetworkError", message: /Could not reach/ });
  });

  it("answers the NEW_PASSWORD_REQUIRED challenge with RespondToAuthChallenge", async () => {
    const first = await signIn(AUTH, "new@example.com", "Temp-pass-1");
    expect(first).toEqual({ challenge: { username: "new@example.com", session: "session-new@example.com" } });
    if (!("challenge" in first)) throw new Error("expected a challenge");

    await expect(completeNewPassword(AUTH, first.challenge, "short")).rejects.toMatchObject({
      code: "InvalidPasswordException",
      message: "Password not long enough",
    });
    const second = await completeNewPassword(AUTH, first.challenge, "A-much-better-1");

    expect("tokens" in second).toBe(true);
    expect(cognito.calls.at(-1)!.body).toMatchObject({
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: "client-1",
      Session: "session-new@example.com",
      ChallengeResponses: { USERNAME: "new@example.com", NEW_PASSWORD: "A-much-better-1" },
    });
  });

  it("refreshes with REFRESH_TOKEN_AUTH and keeps the refresh token", async () => {
    const result = await signIn(AUTH, "rita@example.com", "Secret-123");
    if (!("tokens" in result)) throw new Error("expected tokens");

    const renewed = await refresh(AUTH, "refresh-1");

    expect(renewed.refreshToken).toBe("refresh-1");
    expect(renewed.idToken).not.toBe(result.tokens.idToken);
    expect(cognito.calls.at(-1)!.body).toEqual({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: "client-1",
      AuthParameters: { REFRESH_TOKEN: "refresh-1" },
    });
    cognito.revokeAll();
    await expect(refresh(AUTH, "refresh-1")).rejects.toMatchObject({ code: "NotAuthorizedException" });
  });

  it("signs out with RevokeToken, falling back to GlobalSignOut, and never throws", async () => {
    const tokens = { idToken: "i", accessToken: "a", refreshToken: "r" };
    await signOut(AUTH, tokens);
    expect(cognito.ops()).toEqual(["RevokeToken"]);

    vi.stubGlobal("fetch", vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const op = (init!.headers as Record<string, string>)["X-Amz-Target"] ?? "";
      return new Response(JSON.stringify(op.endsWith("RevokeToken") ? { __type: "UnsupportedOperationException" } : {}), {
        status: op.endsWith("RevokeToken") ? 400 : 200,
      });
    }));
    await signOut(AUTH, tokens);
    expect(vi.mocked(fetch).mock.calls.map(([, init]) => (init!.headers as Record<string, string>)["X-Amz-Target"])).toEqual([
      "AWSCognitoIdentityProviderService.RevokeToken",
      "AWSCognitoIdentityProviderService.GlobalSignOut",
    ]);

    vi.stubGlobal("fetch", async () => {
      throw new TypeError("offline");
    });
    await expect(signOut(AUTH, tokens)).resolves.toBeUndefined();
  });
});

describe("jwt", () => {
  it("reads claims, UTF-8 names included, and the expiry in ms", () => {
    const token = jwt({ sub: "s", name: "Zoë Müller", exp: 1_700_000_000 });
    expect(claimsOf(token)).toMatchObject({ name: "Zoë Müller" });
    expect(expiresAt(token)).toBe(1_700_000_000_000);
    expect(claimsOf("not a token")).toBeNull();
    expect(expiresAt("a.b.c")).toBeNull();
  });
});
