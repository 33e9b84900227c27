"use client";

import { type DragEvent, useEffect, useId, useState } from "react";
import { ACCEPT_ATTRIBUTE, ACCEPTED_DESCRIPTION } from "@/lib/files";
import { formatBytes } from "@/lib/format";

interface Props {
  maxBytes: number;
  onFiles: (files: File[]) => void;
}

/** Drop files anywhere on it, or pick them with the (keyboard-focusable) file input. */
export function Dropzone({ maxBytes, onFiles }: Props) {
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);

  // A file dropped beside the zone would make the browser open it, leaving the page and its uploads.
  useEffect(() => {
    const ignoreFileDrop = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    window.addEventListener("dragover", ignoreFileDrop);
    window.addEventListener("drop", ignoreFileDrop);
    return () => {
      window.removeEventListener("dragover", ignoreFileDrop);
      window.removeEventListener("drop", ignoreFileDrop);
    };
  }, []);

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setDragging(true);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length) onFiles(files);
  };

  return (
    <div
      data-testid="dropzone"
      data-dragging={dragging}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        // Moving over a child element also fires dragleave; only leaving the zone counts.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
      className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed px-4 py-10 text-center transition-colors ${
        dragging
          ? "border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950"
          : "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900"
      }`}
    >
      <p className="text-base font-medium">Drop invoices here</p>
      <p className="text-sm text-slate-600 dark:text-slate-400">or</p>
      <input
        id={inputId}
        data-testid="upload-input"
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        aria-describedby={hintId}
        className="peer sr-only"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Reset so picking the same file again still fires a change.
          event.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
      <label
        htmlFor={inputId}
        className="cursor-pointer rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-sky-600 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-white"
      >
        Choose files
      </label>
      <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
        {ACCEPTED_DESCRIPTION}, up to {formatBytes(maxBytes)} each. Several at once are fine.
      </p>
    </div>
  );
}
