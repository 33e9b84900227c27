"use client";

import Link from "next/link";
import { allows, useSession } from "@/lib/auth/state";
import { DEFAULT_MAX_LARGE_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from "@/lib/config";
import { useAppConfig } from "@/lib/useAppConfig";
import { useUploadQueue } from "@/lib/uploadQueue";
import { Dropzone } from "./Dropzone";
import { UploadRow } from "./UploadRow";

export function UploadPanel() {
  const state = useSession();
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
  return allows(state, "reviewer") ? <Uploads /> : null;
}

function Uploads() {
  const config = useAppConfig();
  // Files over maxUploadBytes take the S3 path (lib/api.ts); only the larger limit refuses a file.
  const maxBytes = Math.max(
    config?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    config?.maxLargeUploadBytes ?? DEFAULT_MAX_LARGE_UPLOAD_BYTES,
  );
  const { items, add, retry, remove } = useUploadQueue();

  return (
    <div className="flex flex-col gap-6">
      <Dropzone maxBytes={maxBytes} onFiles={(files) => add(files, maxBytes)} />
      {items.length > 0 && (
        <section aria-labelledby="uploads-heading" className="flex flex-col gap-3">
          <h2 id="uploads-heading" className="text-lg font-semibold">
            Uploads
          </h2>
          <ul data-testid="upload-list" className="flex flex-col gap-3">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} onRetry={retry} onRemove={remove} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
