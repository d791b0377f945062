/** Figures as the graph shows them: short, with their unit. */

export function formatRate(rps: number): string {
  if (rps === 0) return "0 rps";
  if (rps < 0.01) return "<0.01 rps";
  return `${rps >= 100 ? rps.toFixed(0) : rps.toFixed(2)} rps`;
}

export function formatPercent(share0to100: number): string {
  return `${share0to100 >= 10 || share0to100 === 0 ? share0to100.toFixed(0) : share0to100.toFixed(1)}%`;
}

export function formatBytesPerSecond(bytes: number): string {
  const units = ["B/s", "kB/s", "MB/s", "GB/s"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatMilliseconds(ms: number | null): string {
  if (ms === null) return "n/a";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms >= 10 ? ms.toFixed(0) : ms.toFixed(1)} ms`;
}
