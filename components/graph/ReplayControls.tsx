"use client";

import { useEffect, useMemo, useState } from "react";
import { nextFrame, previousFrame, REPLAY_LENGTHS, replayEnd, replayStartFrom, replayStepSeconds, type ReplayLength } from "@/lib/graph/replay";
import styles from "./graph.module.css";

export interface ReplayState {
  at: number | null;
  replayFrom: number | null;
  replay: ReplayLength;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `YYYY-MM-DDTHH:MM` in the browser's zone, as a datetime-local input shows it. */
function localInputValue(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

let frameTimeFormat: Intl.DateTimeFormat | null = null;

/** The time a graph frame shows, in the browser's locale. The formatter is made once: making one costs tens of milliseconds. */
export function formatFrameTime(seconds: number): string {
  frameTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  return frameTimeFormat.format(new Date(seconds * 1000));
}

/**
 * Replay of the graph: pick a start, then play or step through the window frame by frame. Playing
 * asks for the next frame only once the current one is drawn (`frameReady`), so a slow Prometheus
 * slows the replay down instead of piling up requests.
 */
export function ReplayControls({ state, frameReady, onChange }: { state: ReplayState; frameReady: boolean; onChange: (change: Partial<ReplayState>) => void }) {
  const [playing, setPlaying] = useState(false);
  const [startProblem, setStartProblem] = useState<string | null>(null);
  const { at, replayFrom, replay } = state;
  const showsFrame = at !== null;
  // Kept across frames, so the player's timer is not reset by each frame's own render.
  const replayWindow = useMemo(() => (showsFrame && replayFrom !== null ? { from: replayFrom, length: replay } : null), [showsFrame, replayFrom, replay]);

  useEffect(() => {
    if (!playing || !replayWindow || at === null || !frameReady) return;
    const timer = setTimeout(() => {
      const next = nextFrame(replayWindow, at, nowSeconds());
      if (next === null) setPlaying(false);
      else onChange({ at: next });
    }, 1_000);
    return () => clearTimeout(timer);
  }, [playing, replayWindow, at, frameReady, onChange]);

  if (at === null || !replayWindow) {
    return (
      <div className={styles.replay} role="group" aria-label="Replay">
        <button
          type="button"
          onClick={() => {
            const from = nowSeconds() - 600;
            onChange({ at: from, replayFrom: from });
          }}
        >
          Replay…
        </button>
      </div>
    );
  }

  const end = replayEnd(replayWindow, nowSeconds());
  const step = replayStepSeconds(replay);
  return (
    <div className={styles.replay} role="group" aria-label="Replay">
      <label>
        From
        <input
          type="datetime-local"
          aria-label="Replay start"
          defaultValue={localInputValue(replayWindow.from)}
          key={replayWindow.from}
          onChange={(event) => {
            const from = replayStartFrom(event.target.value, nowSeconds());
            setStartProblem(from === null ? "Pick a time in the past" : null);
            if (from !== null) onChange({ at: from, replayFrom: from });
          }}
        />
        {startProblem ? <span className={styles.expressionError}>{startProblem}</span> : null}
      </label>
      <label>
        Length
        <select aria-label="Replay length" value={replay} onChange={(event) => onChange({ replay: event.target.value as ReplayLength })}>
          {REPLAY_LENGTHS.map((length) => (
            <option key={length} value={length} label={`${length} window`} />
          ))}
        </select>
      </label>
      <button type="button" disabled={at <= replayWindow.from} onClick={() => onChange({ at: previousFrame(replayWindow, at) })}>
        Step back
      </button>
      <button type="button" aria-pressed={playing} onClick={() => setPlaying((value) => !value)} disabled={!playing && at >= end}>
        {playing ? "Pause" : "Play"}
      </button>
      <button
        type="button"
        disabled={at >= end}
        onClick={() => {
          const next = nextFrame(replayWindow, at, nowSeconds());
          if (next !== null) onChange({ at: next });
        }}
      >
        Step forward
      </button>
      <input
        type="range"
        aria-label="Replay position"
        min={replayWindow.from}
        max={end}
        step={step}
        value={at}
        onChange={(event) => onChange({ at: Number(event.target.value) })}
      />
      <output aria-live="polite" data-testid="replay-time">
        {formatFrameTime(at)}
      </output>
      <button
        type="button"
        onClick={() => {
          setPlaying(false);
          onChange({ at: null, replayFrom: null });
        }}
      >
        Back to live
      </button>
    </div>
  );
}
