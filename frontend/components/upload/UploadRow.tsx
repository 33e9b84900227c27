import Link from "next/link";
import { formatBytes } from "@/lib/format";
import type { UploadItem, UploadStatus } from "@/lib/uploadQueue";
import { DetectedText } from "../invoice/DetectedText";
import { FieldList } from "../invoice/FieldList";
import { ProcessingStats } from "../invoice/ProcessingStats";

const STATUS_TEXT: Record<UploadStatus, string> = {
  refused: "Not uploaded",
  queued: "Waiting",
  uploading: "Uploading",
  processing: "Reading the invoice…",
  done: "Done",
  failed: "Failed",
};

const STATUS_CLASS: Record<UploadStatus, string> = {
  refused: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  queued: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  uploading: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  processing: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  done: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
};

const smallButton =
  "rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800";

interface Props {
  item: UploadItem;
  onRetry: (id: string) => void;
  onRemove: (id: string) => void;
}

/** One file: its state, a real progress bar, then the result card or the reason it failed. */
export function UploadRow({ item, onRetry, onRemove }: Props) {
  const { file, status, progress, error, result } = item;
  const busy = status === "uploading" || status === "processing";
  const percent = Math.round(progress * 100);

  return (
    <li
      data-testid="upload-item"
      data-status={status}
      data-file-name={file.name}
      aria-busy={busy}
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium" title={file.name}>
            {file.name}
          </p>
          <p className="text-xs text-slate-600 dark:text-slate-400">{formatBytes(file.size)}</p>
        </div>
        <div className="flex items-center gap-2">
          <span data-testid="upload-status" className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${STATUS_CLASS[status]}`}>
            {STATUS_TEXT[status]}
            {status === "uploading" && ` ${percent}%`}
          </span>
          {status === "failed" && item.retryable && (
            <button type="button" className={smallButton} onClick={() => onRetry(item.id)}>
              Retry
            </button>
          )}
          <button
            type="button"
            className={smallButton}
            onClick={() => onRemove(item.id)}
            aria-label={`${busy ? "Cancel" : "Remove"} ${file.name}`}
          >
            {busy ? "Cancel" : "Remove"}
          </button>
        </div>
      </div>

      {busy && (
        <div
          role="progressbar"
          aria-label={`Upload of ${file.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={status === "processing" ? "Uploaded, reading the invoice" : `${percent}%`}
          data-testid="upload-progress"
          className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
        >
          <div
            className={`h-full rounded-full bg-sky-600 transition-[width] dark:bg-sky-400 ${
              status === "processing" ? "motion-safe:animate-pulse" : ""
            }`}
            style={{ width: `${percent}%` }}
          />
        </div>
      )}

      {error && (
        <p data-testid="upload-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}

      {result && (
        <div data-testid="result-card" className="flex flex-col gap-3">
          <ProcessingStats invoice={result} />
          <FieldList fields={result.fields} />
          <DetectedText text={result.detectedText} />
          <p className="text-sm">
            <Link
              href={`/invoice/?id=${encodeURIComponent(result.invoiceId)}`}
              className="font-medium text-sky-700 underline underline-offset-2 hover:text-sky-900 dark:text-sky-300 dark:hover:text-sky-100"
            >
              View invoice details<span className="sr-only"> of {file.name}</span>
            </Link>
          </p>
        </div>
      )}
    </li>
  );
}
