// Shapes of the backend's JSON. They are written once, as JSON Schema, in
// docs/contract/api.schema.json; lib/contract.gen.ts is generated from it (`npm run contract`).
// This module keeps the names the app imports. Missing fields are absent, never null.

import type * as Contract from "./contract.gen";

export { FIELD_NAMES } from "./contract.gen";
export type {
  ClientMessage,
  ConfigJson,
  ErrorBody,
  ErrorMessage,
  FieldName,
  GetMetricsAction,
  Health,
  InvoiceFields,
  InvoicePage,
  InvoiceSummary,
  MetricsSnapshot,
  MetricsUpdateMessage,
  PingAction,
  PongMessage,
  SeriesPoint,
  ServerMessage,
  TextSegment,
  UploadRequest,
  UploadTicket,
} from "./contract.gen";

/** One extracted field; `T` narrows the value (dates and codes are strings, amounts numbers). */
export type ExtractedField<T = string | number> = Omit<Contract.ExtractedField, "value"> & { value: T };

/**
 * An invoice as returned by the upload and by `GET /api/invoices/<id>` (the latter without
 * `textSegments`).
 */
export type InvoiceRecord = Contract.Invoice;
