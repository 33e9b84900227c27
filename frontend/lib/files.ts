// Checks before an upload. The server is the authority on content; these only spare the user a
// pointless upload of a file that is too large or plainly of the wrong kind.

import { formatBytes } from "./format";

const ACCEPTED: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  tif: "image/tiff",
  tiff: "image/tiff",
  webp: "image/webp",
  // CII (Factur-X, ZUGFeRD, XRechnung) or UBL e-invoice XML; the server checks the root element.
  xml: "application/xml",
};

// Browsers label .xml files either way.
const ACCEPTED_TYPES = new Set([...Object.values(ACCEPTED), "text/xml"]);

/** For `<input type="file" accept>`. */
export const ACCEPT_ATTRIBUTE = [...Object.keys(ACCEPTED).map((ext) => `.${ext}`), ...ACCEPTED_TYPES].join(",");

export const ACCEPTED_DESCRIPTION = "PDF, PNG, JPEG, TIFF, WebP or e-invoice XML";

/** Why `file` is refused before upload, or null when it may be sent. */
export function refusalReason(file: File, maxBytes: number): string | null {
  const extension = file.name.includes(".") ? (file.name.split(".").pop() ?? "").toLowerCase() : "";
  if (!(extension in ACCEPTED) && !ACCEPTED_TYPES.has(file.type)) {
    return `This file type is not supported. Upload a ${ACCEPTED_DESCRIPTION} file.`;
  }
  if (file.size === 0) return "This file is empty.";
  if (file.size > maxBytes) {
    return `This file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`;
  }
  return null;
}
