"use client";

import { DEFAULT_MAX_LARGE_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from "@/lib/config";
import { useAppConfig } from "@/lib/useAppConfig";
import { useUploadQueue } from "@/lib/uploadQueue";
import { Dropzone } from "./Dropzone";
import { UploadRow } from "./UploadRow";

/**
 * The dropzone and the upload queue. Loaded by UploadPanel on demand: it shows only once the
 * session is known to allow uploads, so the first paint never needs it.
 */
export default function Uploads() {
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
