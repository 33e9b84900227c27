// A small client of Cognito's user-pool JSON API over plain fetch (no SDK): one POST per
// operation, `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`. The app client has no
// secret, so no SECRET_HASH; the password goes to Cognito over TLS (USER_PASSWORD_AUTH).

import type { AuthSettings } from "../config";

export interface Tokens {
  idToken: string;
  accessToken: string;
  /** Absent in a refresh answer: the refresh token stays the same. */
  refreshToken?: string;
}

/** A sign-in that needs a new password first (a user an admin created): answer with the session. */
export interface NewPasswordChallenge {
  username: string;
  session: string;
}

export type SignInResult = { tokens: Tokens } | { challenge: NewPasswordChallenge };

/** A failed call, with Cognito's error type (`NotAuthorizedException`, …) and a readable message. */
export class CognitoError extends Error {
  constructor(
    /** Cognito's `__type`, or `NetworkError` when it could not be reached. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

const MESSAGES: Record<string, string> = {
  NotAuthorizedException: "Incorrect e-mail or password.",
  UserNotFoundException: "Incorrect e-mail or password.",
  UserNotConfirmedException: "This account is not confirmed yet. Ask an administrator.",
  PasswordResetRequiredException: "This account needs a password reset. Ask an administrator.",
  TooManyRequestsException: "Too many attempts. Wait a moment and try again.",
  LimitExceededException: "Too many attempts. Wait a moment and try again.",
};

/** What to show for a Cognito error: its own words where they help, a plain sentence where not. */
function readable(code: string, message: string): string {
  if (code === "InvalidPasswordException") return message.replace(/^Password does not conform to policy: /, "");
  if (code === "NotAuthorizedException" && /attempts exceeded|disabled/i.test(message)) return message;
  return MESSAGES[code] ?? (message || `Sign-in failed (${code}).`);
}

type Body = Record<string, unknown>;

async function call(auth: AuthSettings, op: string, body: Body): Promise<Body> {
  let response: Response;
  try {
    response = await fetch(auth.endpoint || `https://cognito-idp.${auth.region}.amazonaws.com/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${op}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new CognitoError("NetworkError", "Could not reach the sign-in service. Check your connection and try again.");
  }
  const answer = (await response.json().catch(() => ({}))) as Body;
  if (response.ok) return answer;
  // `__type` may carry a namespace: "com.amazonaws…#NotAuthorizedException".
  const code = String(answer.__type ?? `HTTP ${response.status}`).split("#").pop()!;
  throw new CognitoError(code, readable(code, String(answer.message ?? answer.Message ?? "")));
}

function signInResult(answer: Body, username: string): SignInResult {
  const result = answer.AuthenticationResult as Record<string, string> | undefined;
  if (result?.IdToken && result.AccessToken) {
    return { tokens: { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken } };
  }
  if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED") {
    const params = answer.ChallengeParameters as Record<string, string> | undefined;
    // Cognito may name the user by its internal username (USER_ID_FOR_SRP) rather than the e-mail.
    return { challenge: { username: params?.USER_ID_FOR_SRP ?? params?.USERNAME ?? username, session: String(answer.Session) } };
  }
  throw new CognitoError(
    String(answer.ChallengeName ?? "UnexpectedAnswer"),
    "This account needs a sign-in step this page does not support. Ask an administrator.",
  );
}

export async function signIn(auth: AuthSettings, email: string, password: string): Promise<SignInResult> {
  const answer = await call(auth, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: auth.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  return signInResult(answer, email);
}

export async function completeNewPassword(
  auth: AuthSettings,
  { username, session }: NewPasswordChallenge,
  newPassword: string,
): Promise<SignInResult> {
  const answer = await call(auth, "RespondToAuthChallenge", {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    ClientId: auth.clientId,
    Session: session,
    ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
  });
  return signInResult(answer, username);
}

/** New id and access tokens for a refresh token. */
export async function refresh(auth: AuthSettings, refreshToken: string): Promise<Tokens> {
  const answer = await call(auth, "InitiateAuth", {
    AuthFlow: "REFRESH_TOKEN_AUTH",
    ClientId: auth.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  const result = signInResult(answer, "");
  if ("challenge" in result) throw new CognitoError("UnexpectedAnswer", "The session could not be renewed.");
  return { ...result.tokens, refreshToken: result.tokens.refreshToken ?? refreshToken };
}

/**
 * Best effort: revokes this session's refresh token (and the tokens issued from it). Where
 * RevokeToken is not available (the local stack's moto), GlobalSignOut with the access token,
 * which signs the user out of every session. Never throws.
 */
export async function signOut(auth: AuthSettings, tokens: Tokens): Promise<void> {
  try {
    if (!tokens.refreshToken) throw new Error("no refresh token");
    await call(auth, "RevokeToken", { ClientId: auth.clientId, Token: tokens.refreshToken });
  } catch {
    await call(auth, "GlobalSignOut", { AccessToken: tokens.accessToken }).catch(() => {});
  }
}
