import { FIELD_LABELS, formatFieldValue, formatPercent } from "@/lib/format";
import { FIELD_NAMES, type InvoiceFields } from "@/lib/types";

/** The extracted fields; a field the server could not find reads "Not found". */
export function FieldList({ fields }: { fields: InvoiceFields }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2">
      {FIELD_NAMES.map((name) => {
        const field = fields[name];
        return (
          <div key={name} className="flex items-baseline justify-between gap-3 border-b border-slate-100 pb-1.5 dark:border-slate-800">
            <dt className="text-sm text-slate-600 dark:text-slate-400">{FIELD_LABELS[name]}</dt>
            <dd className="min-w-0 text-right">
              {field ? (
                <>
                  <span data-testid={`field-${name}`} className="break-words font-medium tabular-nums">
                    {formatFieldValue(name, field, fields)}
                  </span>
                  <span
                    className="ml-2 text-xs text-slate-500 dark:text-slate-400"
                    title="Extraction confidence"
                  >
                    <span className="sr-only">confidence </span>
                    {formatPercent(field.confidence * 100, 0)}
                  </span>
                </>
              ) : (
                <span data-testid={`field-${name}`} data-missing="true" className="text-sm italic text-slate-500 dark:text-slate-400">
                  Not found
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
