"use client";

import type { User } from "@/lib/auth/state";
import { sessionStore } from "@/lib/auth/state";

/**
 * Who is signed in, from the id token's claims rather than `GET /api/me`: no request, shown as
 * soon as the session is, and the same claims the API decides on. Loaded lazily by SiteHeader.
 */
export default function Account({ user }: { user: User }) {
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="account">
      <span title={user.email}>
        <span data-testid="user-name" className="font-medium">
          {user.name}
        </span>{" "}
        <span data-testid="user-role" className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
          {user.role}
        </span>
      </span>
      <button
        type="button"
        data-testid="sign-out"
        onClick={() => void sessionStore().then((store) => store?.signOut())}
        className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        Sign out
      </button>
    </div>
  );
}
