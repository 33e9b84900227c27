"use client";

import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useEffect } from "react";
import { useSession } from "@/lib/auth/state";

export const SIGN_IN_PATH = "/signin/";

/** `/signin/?next=<where the user was>`. */
export function signInUrl(next: string): string {
  return `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`;
}

/**
 * Every page but sign-in needs a session when the app has sign-in: without one, the page is
 * swapped for a short note and the browser goes to /signin/?next=<this page>. While the
 * session loads the page renders as usual (its API calls wait for the token).
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const state = useSession();
  const pathname = usePathname();
  const router = useRouter();
  const mustSignIn = state.status === "signed-out" && !pathname.startsWith("/signin");

  useEffect(() => {
    if (mustSignIn) router.replace(signInUrl(location.pathname + location.search));
  }, [mustSignIn, router]);

  return mustSignIn ? <p data-testid="signin-redirect">Taking you to sign-in…</p> : children;
}
