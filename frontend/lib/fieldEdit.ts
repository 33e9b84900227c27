// Field kinds for editing: which input a field gets, and how its text becomes a PATCH value.

import { formatAmount, formatDate } from "./format";
import type { FieldName, InvoiceFields } from "./types";

export type FieldKind = "date" | "amount" | "currency" | "text";

const KINDS: Record<FieldName, FieldKind> = {
  invoiceNumber: "text",
  invoiceDate: "date",
  dueDate: "date",
  vendorName: "text",
  currency: "currency",
  subtotal: "amount",
  tax: "amount",
  total: "amount",
  documentType: "text",
  buyerName: "text",
  vendorTaxId: "text",
  buyerTaxId: "text",
  iban: "text",
  bic: "text",
  purchaseOrder: "text",
  paymentTerms: "text",
};

export function fieldKind(name: FieldName): FieldKind {
  return KINDS[name];
}

/** An edit in progress: the input's text, or null for "remove this field". */
export type Draft = string | null;
export type Drafts = Partial<Record<FieldName, Draft>>;

/** The text an input starts with. */
export function inputText(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/**
 * The PATCH value of a draft: null removes the field (an empty input too); amounts become
 * numbers. Text the client cannot read as a number is sent as it is, so the server's 400 names
 * the field and says what is wrong.
 */
export function patchValue(name: FieldName, draft: Draft): string | number | null {
  if (draft === null) return null;
  const text = draft.trim();
  if (!text) return null;
  if (fieldKind(name) === "amount") {
    const number = Number(text.replace(",", "."));
    return Number.isFinite(number) ? number : text;
  }
  if (fieldKind(name) === "currency") return text.toUpperCase();
  return text;
}

export function patchFields(drafts: Drafts): Record<string, string | number | null> {
  return Object.fromEntries(
    (Object.entries(drafts) as [FieldName, Draft][]).map(([name, draft]) => [name, patchValue(name, draft)]),
  );
}

/** A value as the timeline and the conflict view show it; "—" for none. */
export function displayValue(name: string, value: string | number | null | undefined, fields?: InvoiceFields): string {
  if (value === null || value === undefined || value === "") return "—";
  const kind = KINDS[name as FieldName];
  if (kind === "amount" && typeof value === "number") {
    const currency = fields?.currency?.value;
    return formatAmount(value, typeof currency === "string" ? currency : undefined);
  }
  if (kind === "date" && typeof value === "string") return formatDate(value);
  return String(value);
}
