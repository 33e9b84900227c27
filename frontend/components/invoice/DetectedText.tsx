interface Props {
  text: string;
  /** Shown expanded (detail page) or behind a summary (upload results). */
  open?: boolean;
}

/** The raw text the OCR engine read, in a native <details>: keyboard accessible for free. */
export function DetectedText({ text, open = false }: Props) {
  return (
    <details open={open} className="group rounded-lg border border-slate-200 dark:border-slate-700">
      <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-600">
        Detected text
      </summary>
      <pre
        data-testid="detected-text"
        className="max-h-96 overflow-auto whitespace-pre-wrap break-words border-t border-slate-200 px-3 py-2 font-mono text-xs text-slate-800 dark:border-slate-700 dark:text-slate-200"
      >
        {text.trim() || "No text was detected."}
      </pre>
    </details>
  );
}
