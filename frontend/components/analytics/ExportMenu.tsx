"use client";

import { type RefObject, useState } from "react";
import { dataCsv, dataJson } from "@/lib/analytics/csv";
import { download, fileStem, serializeSvg, svgSize, svgToPng } from "@/lib/analytics/export";
import type { ChartData } from "@/lib/analytics/types";

/** PNG and SVG of the chart, CSV and JSON of its data: all made in the browser. */
export function ExportMenu({ name, data, svg }: { name: string; data: ChartData | null; svg: RefObject<SVGSVGElement | null> }) {
  const [error, setError] = useState<string | null>(null);
  const stem = fileStem(name);
  const button =
    "rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800";

  const png = async () => {
    if (!svg.current) return;
    setError(null);
    try {
      const { width, height } = svgSize(svg.current);
      download(await svgToPng(serializeSvg(svg.current), width, height), `${stem}.png`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Export">
      <span className="text-xs font-medium text-slate-600 dark:text-slate-300">Export</span>
      <button type="button" className={button} onClick={() => void png()} disabled={!data}>
        PNG
      </button>
      <button
        type="button"
        className={button}
        disabled={!data}
        onClick={() => svg.current && download(serializeSvg(svg.current), `${stem}.svg`, "image/svg+xml;charset=utf-8")}
      >
        SVG
      </button>
      <button type="button" className={button} disabled={!data} onClick={() => data && download(dataCsv(data), `${stem}.csv`, "text/csv;charset=utf-8")}>
        CSV
      </button>
      <button
        type="button"
        className={button}
        disabled={!data}
        onClick={() => data && download(dataJson(data), `${stem}.json`, "application/json;charset=utf-8")}
      >
        JSON
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
