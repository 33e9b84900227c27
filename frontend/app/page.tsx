import { UploadPanel } from "@/components/upload/UploadPanel";

export default function UploadPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Upload invoices</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Each file is read as soon as it arrives: number, dates, vendor and amounts, with how sure the reader is.
        </p>
      </div>
      <UploadPanel />
    </div>
  );
}
