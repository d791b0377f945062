"use client";

import { useState, type RefObject } from "react";
import { apiPath } from "@/lib/apiClient";
import { exportFileName } from "@/lib/graph/exportFormats";
import type { GraphResponse } from "@/lib/graph/model";
import { exportLegend, viewToSvg } from "@/lib/graph/viewExport";
import type { GraphCanvasHandle } from "./GraphCanvas";
import styles from "./graph.module.css";

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The canvas's PNG with the title above and the legend below, drawn onto one picture. */
async function pngWithCaptions(drawing: Blob, title: string, legend: readonly string[]): Promise<Blob> {
  const image = await createImageBitmap(drawing);
  const line = 16;
  const top = 28;
  const bottom = legend.length * line + 12;
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height + top + bottom;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser cannot draw the picture (no 2D canvas)");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, top);
  context.fillStyle = "#1f1f1f";
  context.font = "bold 14px sans-serif";
  context.fillText(title, 8, 19);
  context.font = "12px sans-serif";
  legend.forEach((text, index) => context.fillText(text, 8, top + image.height + 18 + index * line));
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The picture could not be encoded as PNG"))), "image/png"));
}

/**
 * Export of the view (PNG, SVG: what is on screen, with its time and legend) and of the graph
 * (JSON, DOT: every node and edge, from the API with the same parameters as the page).
 */
export function ExportMenu({ graph, title, apiQuery, canvas }: { graph: GraphResponse | undefined; title: string; apiQuery: URLSearchParams; canvas: RefObject<GraphCanvasHandle | null> }) {
  const [problem, setProblem] = useState<string | null>(null);
  const fileQuery = (format: string) => {
    const query = new URLSearchParams(apiQuery);
    query.set("format", format);
    return apiPath(`/api/graph?${query.toString()}`);
  };
  const picture = async (format: "png" | "svg") => {
    setProblem(null);
    const handle = canvas.current;
    if (!handle || !graph) return;
    try {
      if (format === "svg") download(new Blob([viewToSvg({ ...handle.view(), title, legend: exportLegend() })], { type: "image/svg+xml" }), exportFileName(graph, "svg"));
      else download(await pngWithCaptions(await handle.png(), title, exportLegend()), exportFileName(graph, "png"));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <details className={styles.menu}>
      <summary>Export</summary>
      <div className={styles.menuBody} role="group" aria-label="Export the graph">
        <button type="button" disabled={!graph} onClick={() => void picture("png")}>
          View as PNG
        </button>
        <button type="button" disabled={!graph} onClick={() => void picture("svg")}>
          View as SVG
        </button>
        <a href={fileQuery("json")} download>
          Graph as JSON
        </a>
        <a href={fileQuery("dot")} download>
          Graph as DOT
        </a>
        {problem ? (
          <span role="alert" className={styles.expressionError}>
            {problem}
          </span>
        ) : null}
      </div>
    </details>
  );
}
