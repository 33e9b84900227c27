"use client";

import { useState } from "react";
import { downloadExport, type ExportParams } from "@/lib/review";

const field =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:bg-slate-900";
const button =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800";

/** Downloads the invoices of a period (all by default) as CSV or JSON. */
export function ExportForm() {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const run = async (format: ExportParams["format"]) => {
    setBusy(true);
    setMessage(null);
    try {
      const name = await downloadExport({ format, from, to, status });
      setMessage({ error: false, text: `Downloading ${name}.` });
    } catch (error: unknown) {
      setMessage({ error: true, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset data-testid="export" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 px-3 pb-3 pt-1 dark:border-slate-800">
      <legend className="px-1 text-sm font-medium">Export</legend>
      <label className="flex flex-col gap-1 text-xs">
        From
        <input type="date" data-testid="export-from" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} className={field} />
      </label>
      <label className="flex flex-col gap-1 text-xs">
        To
        <input type="date" data-testid="export-to" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} className={field} />
      </label>
      <label className="flex flex-col gap-1 text-xs">
        Status
        <select data-testid="export-status" value={status} onChange={(e) => setStatus(e.target.value)} className={field}>
          <option value="">Any</option>
          <option value="needs-review">Needs review</option>
          <option value="approved">Approved</option>
          <option value="rejected">Rejected</option>
        </select>
      </label>
      <button type="button" data-testid="export-csv" className={button} disabled={busy} onClick={() => void run("csv")}>
        Export CSV
      </button>
      <button type="button" data-testid="export-json" className={button} disabled={busy} onClick={() => void run("json")}>
        Export JSON
      </button>
      <p
        data-testid="export-message"
        role={message?.error ? "alert" : "status"}
        className={`basis-full text-xs ${message?.error ? "text-red-700 dark:text-red-300" : "text-slate-600 dark:text-slate-400"}`}
      >
        {message?.text}
      </p>
    </fieldset>
  );
}
