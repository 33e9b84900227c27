"use client";

import Link from "next/link";
import { lazy, Suspense, useEffect } from "react";
import { allows, useSession } from "@/lib/auth/state";

// The dropzone and the queue (with the API client) are not needed until the session is known
// (/config.json and a stored session are read first), so they are a chunk of their own, fetched
// on mount, in parallel with that, rather than part of the page's first JS.
const loadUploads = () => import("./Uploads");
const Uploads = lazy(loadUploads);

export function UploadPanel() {
  const state = useSession();
  useEffect(() => {
    void loadUploads();
  }, []);
  if (state.status === "signed-in" && !allows(state, "reviewer")) {
    // The API refuses a viewer's upload anyway; this only spares them a control they cannot use.
    return (
      <p data-testid="upload-not-allowed" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900">
        Uploading needs the reviewer role; you are signed in as a {state.user.role}. You can still look at the{" "}
        <Link href="/invoices/" className="font-medium text-sky-700 underline dark:text-sky-400">
          invoices
        </Link>
        .
      </p>
    );
  }
  // Until the session is known, no dropzone: a viewer could drop a file the API will refuse.
  return allows(state, "reviewer") ? (
    <Suspense fallback={null}>
      <Uploads />
    </Suspense>
  ) : null;
}
