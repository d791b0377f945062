/**
 * Replay: the graph at past moments, one frame after another, over a window that starts at a
 * chosen time. Each frame is the graph API's `queryTime`; the page keeps the drawn elements and
 * updates them in place, so nodes stay where they were from one frame to the next.
 */
import { durationSeconds } from "@/lib/timeWindows";

export const REPLAY_LENGTHS = ["5m", "10m", "30m", "1h", "3h", "6h"] as const;
export type ReplayLength = (typeof REPLAY_LENGTHS)[number];

/** Frames a replay shows: enough to see traffic move, few enough to play in about half a minute. */
export const REPLAY_FRAMES = 20;
/** Live graphs are evaluated on 5-second marks; a frame step below that would show the same graph twice. */
const MIN_STEP_SECONDS = 5;

export interface ReplayWindow {
  from: number;
  length: ReplayLength;
}

export function replayStepSeconds(length: ReplayLength): number {
  const seconds = durationSeconds(length) ?? 600;
  return Math.max(MIN_STEP_SECONDS, Math.round(seconds / REPLAY_FRAMES / MIN_STEP_SECONDS) * MIN_STEP_SECONDS);
}

export function replayEnd(window: ReplayWindow, nowSeconds: number): number {
  return Math.min(window.from + (durationSeconds(window.length) ?? 600), nowSeconds);
}

/**
 * The frame after `at`, or null when the window's end is reached. A window that reaches the
 * present ends there: closer than one evaluation step to now counts as arrived, or play would
 * follow the clock forever.
 */
export function nextFrame(window: ReplayWindow, at: number, nowSeconds: number): number | null {
  const end = replayEnd(window, nowSeconds);
  if (end - at < MIN_STEP_SECONDS) return null;
  return Math.min(at + replayStepSeconds(window.length), end);
}

/** The frame before `at`, never before the window's start. */
export function previousFrame(window: ReplayWindow, at: number): number {
  return Math.max(window.from, at - replayStepSeconds(window.length));
}

/** A replay start from a `datetime-local` value read in the browser's zone, or null when it is no time in the past. */
export function replayStartFrom(localDateTime: string, nowSeconds: number, parse: (text: string) => number = (text) => new Date(text).getTime()): number | null {
  const ms = parse(localDateTime);
  if (!Number.isFinite(ms)) return null;
  const seconds = Math.floor(ms / 1000);
  return seconds <= nowSeconds ? seconds : null;
}
