"use client";

import { useState } from "react";
import { getInvoice } from "@/lib/api";
import { allows, useSession } from "@/lib/auth/state";
import { type Drafts, displayValue, fieldKind, inputText, patchFields } from "@/lib/fieldEdit";
import { FIELD_LABELS, formatFieldValue, formatPercent } from "@/lib/format";
import { ConflictError, FieldError, type InvoicePatch, patchInvoice } from "@/lib/review";
import type { Viewer } from "@/lib/contract.gen";
import { FIELD_NAMES, type FieldName, type InvoiceSummary } from "@/lib/types";
import { Avatar } from "./PresenceBar";
import { statusLabel } from "./StatusBadge";

/** What a person asked for: save the edits, or (with them) set a status. */
type Action = { kind: "save" } | { kind: "status"; status: NonNullable<InvoicePatch["status"]>; reason?: string };

interface Conflict {
  message: string;
  /** The invoice the edits started from, and the one the server has now. */
  base: InvoiceSummary;
  current: InvoiceSummary;
  action: Action;
}

const button =
  "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50";
const primary = `${button} bg-sky-700 text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500`;
const secondary = `${button} border border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800`;
const small =
  "rounded px-1.5 py-0.5 text-xs font-medium text-sky-700 underline underline-offset-2 hover:text-sky-900 focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-sky-300";

const INPUT_TYPE = { date: "date", amount: "number", currency: "text", text: "text" } as const;

function value(invoice: InvoiceSummary, name: FieldName) {
  return invoice.fields[name]?.value;
}

function buildPatch(drafts: Drafts, action: Action): InvoicePatch {
  const patch: InvoicePatch = {};
  if (Object.keys(drafts).length > 0) patch.fields = patchFields(drafts);
  if (action.kind === "status") {
    patch.status = action.status;
    if (action.reason) patch.reason = action.reason;
  }
  return patch;
}

function ConflictView({
  conflict,
  drafts,
  busy,
  onReapply,
  onDiscard,
}: {
  conflict: Conflict;
  drafts: Drafts;
  busy: boolean;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  const { base, current } = conflict;
  const rows = FIELD_NAMES.filter((name) => name in drafts || value(base, name) !== value(current, name));
  const locked = current.status === "approved" && Object.keys(drafts).length > 0;
  return (
    <section
      data-testid="conflict"
      role="alert"
      className="flex flex-col gap-3 rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
    >
      <p className="font-medium">
        Someone else changed this invoice while you were editing it (now version {current.version ?? "?"}). Nothing of
        yours was saved.
      </p>
      <p className="text-xs text-slate-700 dark:text-slate-300">{conflict.message}</p>
      <table className="w-full text-left text-sm">
        <thead>
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">Field</th>
            <th scope="col" className="py-1 pr-3 font-medium">When you started</th>
            <th scope="col" className="py-1 pr-3 font-medium">Now</th>
            <th scope="col" className="py-1 font-medium">Your edit</th>
          </tr>
        </thead>
        <tbody>
          {base.status !== current.status && (
            <tr data-testid="conflict-row" data-field="status" className="border-t border-amber-200 dark:border-amber-800">
              <th scope="row" className="py-1 pr-3 font-normal">Status</th>
              <td className="py-1 pr-3">{statusLabel(base.status)}</td>
              <td data-testid="conflict-current" className="py-1 pr-3 font-medium">{statusLabel(current.status)}</td>
              <td className="py-1">—</td>
            </tr>
          )}
          {rows.map((name) => (
            <tr key={name} data-testid="conflict-row" data-field={name} className="border-t border-amber-200 dark:border-amber-800">
              <th scope="row" className="py-1 pr-3 font-normal">{FIELD_LABELS[name]}</th>
              <td className="py-1 pr-3">{displayValue(name, value(base, name), base.fields)}</td>
              <td data-testid="conflict-current" className="py-1 pr-3 font-medium">
                {displayValue(name, value(current, name), current.fields)}
              </td>
              <td data-testid="conflict-mine" className="py-1">
                {name in drafts ? displayValue(name, drafts[name] ?? null) : "(not edited)"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {locked && (
        <p className="text-xs">It has been approved meanwhile: re-applying your edits re-opens it for review.</p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="button" data-testid="reapply" className={primary} disabled={busy} onClick={onReapply}>
          {locked ? "Re-open and re-apply my edits" : `Re-apply my edits on version ${current.version ?? "?"}`}
        </button>
        <button type="button" data-testid="discard" className={secondary} disabled={busy} onClick={onDiscard}>
          Discard my edits
        </button>
      </div>
    </section>
  );
}

/**
 * The fields of an invoice, editable one by one for a reviewer, and the review actions (save,
 * approve, reject with a reason, re-open). Every write carries the version it started from; a
 * 409 shows what changed and lets the person re-apply their edits on the new version, or drop them.
 */
export function InvoiceReview({
  invoice,
  onChange,
  selected = null,
  onSelect,
  editors = {},
  onFocusField,
}: {
  invoice: InvoiceSummary;
  /** The invoice the server has now (after a save, or as a conflict showed it). */
  onChange: (invoice: InvoiceSummary) => void;
  /** The field whose box the document view highlights. */
  selected?: FieldName | null;
  onSelect?: (name: FieldName | null) => void;
  /** Other people editing a field right now (presence). */
  editors?: Partial<Record<FieldName, Viewer[]>>;
  /** The field this person edits (null: none), for the others' presence. */
  onFocusField?: (name: FieldName | null) => void;
}) {
  const session = useSession();
  const canReview = allows(session, "reviewer");
  const [drafts, setDrafts] = useState<Drafts>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  // The invoice the edits started from: a live update moves `invoice` on, but a save must still
  // carry the version the person saw, so that the server answers 409 and shows what changed.
  const [base, setBase] = useState<InvoiceSummary | null>(null);

  const approved = invoice.status === "approved";
  const editable = canReview && !approved && !conflict;
  const edited = Object.keys(drafts).length > 0;
  const editBase = edited && base ? base : invoice;
  const changedMeanwhile = edited && !conflict && (editBase.version ?? 1) !== (invoice.version ?? 1);

  const setDraft = (name: FieldName, draft: string | null | undefined) => {
    if ((!edited || !base) && draft !== undefined) setBase(invoice); // the first edit: remember what it edits
    const rest = Object.keys(drafts).filter((n) => n !== name);
    onFocusField?.(draft !== undefined ? name : ((rest.at(-1) as FieldName | undefined) ?? null));
    setDrafts((d) => {
      const next = { ...d };
      if (draft === undefined) delete next[name];
      else next[name] = draft;
      return next;
    });
    setFieldErrors((e) => ({ ...e, [name]: undefined }));
  };

  const run = async (action: Action, base: InvoiceSummary, edits: Drafts = drafts) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const updated = await patchInvoice(base.invoiceId, base.version ?? 1, buildPatch(edits, action));
      setDrafts({});
      setConflict(null);
      setRejecting(false);
      setReason("");
      if (edited) onFocusField?.(null);
      onChange(updated);
    } catch (failure: unknown) {
      if (failure instanceof FieldError) {
        setFieldErrors({ [failure.field]: failure.message });
      } else if (failure instanceof ConflictError) {
        try {
          const current = failure.current ?? (await getInvoice(base.invoiceId));
          setConflict({ message: failure.message, base, current, action });
        } catch (reload: unknown) {
          setError(`${failure.message} (${(reload as Error).message})`);
        }
      } else {
        setError((failure as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  const reapply = () => {
    if (!conflict) return;
    const { current, action } = conflict;
    onChange(current);
    setBase(current);
    // Approved meanwhile: the edits can only land on a re-opened invoice, so say so in the request.
    const next: Action =
      current.status === "approved" && edited ? { kind: "status", status: "needs-review" } : action;
    void run(next, current);
  };

  const discard = () => {
    if (!conflict) return;
    onChange(conflict.current);
    onFocusField?.(null);
    setDrafts({});
    setConflict(null);
    setRejecting(false);
  };

  return (
    <div className="flex flex-col gap-3">
      {conflict && (
        <ConflictView conflict={conflict} drafts={drafts} busy={busy} onReapply={reapply} onDiscard={discard} />
      )}
      {changedMeanwhile && (
        <div
          data-testid="changed-meanwhile"
          role="status"
          className="flex flex-wrap items-center gap-2 rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="grow">
            {invoice.lastChangedBy?.email ?? "Someone"} changed this invoice while you were editing (now version{" "}
            {invoice.version ?? "?"}, {statusLabel(invoice.status)}). Your edits are kept, not saved yet.
          </p>
          <button
            type="button"
            data-testid="compare"
            className={secondary}
            disabled={busy}
            onClick={() => void run({ kind: "save" }, editBase)}
          >
            Compare with my edits
          </button>
        </div>
      )}
      {canReview && approved && !edited && (
        <p data-testid="approved-hint" className="text-sm text-slate-600 dark:text-slate-400">
          Approved invoices are read-only. Re-open it to correct a field.
        </p>
      )}
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2 lg:grid-cols-1">
        {FIELD_NAMES.map((name) => {
          const field = invoice.fields[name];
          const draft = drafts[name];
          const editing = name in drafts;
          const kind = fieldKind(name);
          const fieldError = fieldErrors[name];
          const inputId = `input-${name}`;
          return (
            <div
              key={name}
              data-testid={`field-row-${name}`}
              data-selected={selected === name ? "true" : undefined}
              className={`flex flex-col gap-1 border-b border-slate-100 pb-1.5 dark:border-slate-800 ${
                selected === name ? "-mx-1 rounded bg-amber-50 px-1 dark:bg-amber-950" : ""
              }`}
            >
              <div className="flex items-baseline justify-between gap-3">
                <dt className="flex items-center gap-1.5 text-sm text-slate-600 dark:text-slate-400">
                  {editing && draft !== null ? (
                    <label htmlFor={inputId}>{FIELD_LABELS[name]}</label>
                  ) : field?.box && onSelect ? (
                    <button
                      type="button"
                      data-testid={`locate-${name}`}
                      aria-pressed={selected === name}
                      title="Show where it was read on the document"
                      className="text-left underline decoration-dotted underline-offset-2 hover:text-sky-800 focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:text-sky-300"
                      onClick={() => onSelect(selected === name ? null : name)}
                    >
                      {FIELD_LABELS[name]}
                    </button>
                  ) : (
                    FIELD_LABELS[name]
                  )}
                  {(editors[name] ?? []).map((viewer) => (
                    <span key={viewer.sub} data-testid={`editing-${name}`} className="inline-flex items-center gap-1 text-xs">
                      <Avatar viewer={viewer} size="sm" />
                      <span className="sr-only">{viewer.name} is editing</span>
                    </span>
                  ))}
                </dt>
                <dd className="flex min-w-0 flex-wrap items-baseline justify-end gap-x-2 text-right">
                  {editing ? (
                    draft === null ? (
                      <span data-testid={`cleared-${name}`} className="text-sm italic text-slate-600 dark:text-slate-400">
                        Will be removed
                      </span>
                    ) : (
                      <input
                        id={inputId}
                        data-testid={inputId}
                        type={INPUT_TYPE[kind]}
                        step={kind === "amount" ? "0.01" : undefined}
                        inputMode={kind === "amount" ? "decimal" : undefined}
                        maxLength={kind === "currency" ? 3 : kind === "text" ? 200 : undefined}
                        value={draft}
                        aria-invalid={fieldError ? true : undefined}
                        aria-describedby={fieldError ? `error-${name}` : undefined}
                        onChange={(event) => setDraft(name, event.target.value)}
                        className="w-44 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm tabular-nums focus-visible:outline-2 focus-visible:outline-sky-600 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900"
                      />
                    )
                  ) : field ? (
                    <>
                      <span data-testid={`field-${name}`} className="break-words font-medium tabular-nums">
                        {formatFieldValue(name, field, invoice.fields)}
                      </span>
                      {field.source === "user" ? (
                        <span
                          data-testid={`corrected-${name}`}
                          title={`Corrected by a person; the reader found ${
                            field.extracted === null || field.extracted === undefined
                              ? "nothing"
                              : displayValue(name, field.extracted, invoice.fields)
                          }`}
                          className="rounded bg-violet-100 px-1 text-xs text-violet-900 dark:bg-violet-950 dark:text-violet-200"
                        >
                          corrected
                        </span>
                      ) : (
                        <span className="text-xs text-slate-500 dark:text-slate-400" title="Extraction confidence">
                          <span className="sr-only">confidence </span>
                          {formatPercent(field.confidence * 100, 0)}
                        </span>
                      )}
                    </>
                  ) : (
                    <span
                      data-testid={`field-${name}`}
                      data-missing="true"
                      className="text-sm italic text-slate-500 dark:text-slate-400"
                    >
                      Not found
                    </span>
                  )}
                  {editable &&
                    (editing ? (
                      <>
                        {draft !== null && (
                          <button type="button" data-testid={`clear-${name}`} className={small} onClick={() => setDraft(name, null)}>
                            Clear<span className="sr-only"> {FIELD_LABELS[name]}</span>
                          </button>
                        )}
                        <button type="button" data-testid={`cancel-${name}`} className={small} onClick={() => setDraft(name, undefined)}>
                          Undo<span className="sr-only"> the edit of {FIELD_LABELS[name]}</span>
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        data-testid={`edit-${name}`}
                        className={small}
                        onClick={() => setDraft(name, inputText(field?.value))}
                      >
                        Edit<span className="sr-only"> {FIELD_LABELS[name]}</span>
                      </button>
                    ))}
                </dd>
              </div>
              {fieldError && (
                <p id={`error-${name}`} data-testid={`field-error-${name}`} role="alert" className="text-right text-sm text-red-700 dark:text-red-300">
                  {fieldError}
                </p>
              )}
            </div>
          );
        })}
      </dl>

      {error && (
        <p data-testid="review-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}

      {canReview && !conflict && (
        <div data-testid="review-actions" className="flex flex-col gap-2">
          {rejecting ? (
            <form
              className="flex flex-col gap-2 sm:flex-row sm:items-end"
              onSubmit={(event) => {
                event.preventDefault();
                if (reason.trim()) void run({ kind: "status", status: "rejected", reason: reason.trim() }, editBase);
              }}
            >
              <label className="flex grow flex-col gap-1 text-sm">
                Why is it rejected?
                <input
                  data-testid="reject-reason"
                  value={reason}
                  maxLength={500}
                  required
                  onChange={(event) => setReason(event.target.value)}
                  className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:bg-slate-900"
                />
              </label>
              <button type="submit" data-testid="confirm-reject" className={primary} disabled={busy || !reason.trim()}>
                Reject invoice
              </button>
              <button type="button" className={secondary} onClick={() => setRejecting(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <div className="flex flex-wrap gap-2">
              {!approved && (
                <button
                  type="button"
                  data-testid="save"
                  className={secondary}
                  disabled={busy || !edited}
                  onClick={() => void run({ kind: "save" }, editBase)}
                >
                  Save
                </button>
              )}
              {invoice.status !== "approved" && invoice.status !== "rejected" && (
                <>
                  <button
                    type="button"
                    data-testid="approve"
                    className={primary}
                    disabled={busy}
                    onClick={() => void run({ kind: "status", status: "approved" }, editBase)}
                  >
                    {edited ? "Save and approve" : "Approve"}
                  </button>
                  <button type="button" data-testid="reject" className={secondary} disabled={busy} onClick={() => setRejecting(true)}>
                    Reject…
                  </button>
                </>
              )}
              {(approved || invoice.status === "rejected") && (
                <button
                  type="button"
                  data-testid="reopen"
                  className={secondary}
                  disabled={busy}
                  onClick={() => void run({ kind: "status", status: "needs-review" }, editBase)}
                >
                  Re-open for review
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
