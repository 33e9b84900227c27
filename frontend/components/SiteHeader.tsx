"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { lazy, Suspense } from "react";
import type { Role } from "@/lib/contract.gen";
import { allows, type SessionState, useSession } from "@/lib/auth/state";

const LINKS: { href: string; label: string; role: Role }[] = [
  { href: "/", label: "Upload", role: "reviewer" },
  { href: "/invoices/", label: "Invoices", role: "viewer" },
  { href: "/analytics/", label: "Analytics", role: "viewer" },
];

/**
 * A link shows unless the session is known not to allow it: while the session loads all show (as
 * on the static page), so people with the right role see no flicker.
 */
function shows(state: SessionState, role: Role): boolean {
  if (state.status === "signed-out") return false;
  return state.status !== "signed-in" || allows(state, role);
}

function isCurrent(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname.startsWith(href.replace(/\/$/, ""));
}

// Only for a signed-in session: a page without sign-in never loads it.
const Account = lazy(() => import("./auth/Account"));

export function SiteHeader() {
  const pathname = usePathname();
  const state = useSession();
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="page-column flex flex-wrap items-center justify-between gap-x-6 gap-y-2 py-3">
        <Link href="/" className="text-base font-semibold text-slate-900 dark:text-slate-50">
          Invoice reader
        </Link>
        <nav aria-label="Main">
          <ul className="flex gap-1">
            {LINKS.filter(({ role }) => shows(state, role)).map(({ href, label }) => {
              const current = isCurrent(pathname, href);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={current ? "page" : undefined}
                    className={`rounded-md px-3 py-1.5 text-sm font-medium ${
                      current
                        ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
                        : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                    }`}
                  >
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        {state.status === "signed-in" && (
          <Suspense fallback={null}>
            <Account user={state.user} />
          </Suspense>
        )}
      </div>
    </header>
  );
}
