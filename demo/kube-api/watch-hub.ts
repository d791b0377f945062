/**
 * Change history and live subscribers. Like etcd behind the API server, only a bounded window
 * of past events is kept: a watch that resumes from a resourceVersion older than the window
 * gets 410 Gone and must relist.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
import type { KubeObject } from "./object";
import type { ResourceType } from "./resources";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface ChangeEvent {
  rv: number;
  type: ResourceType;
  eventType: WatchEventType;
  object: KubeObject;
  /** The object before a MODIFIED event, so a filtered watch can tell an object entering or leaving it. */
  previous?: KubeObject;
}

export type ChangeListener = (event: ChangeEvent) => void;

export class WatchHub {
  private readonly history: ChangeEvent[] = [];
  private historyStart = 0;
  /** Events with rv > compactedThrough are all still in history. */
  private compactedThrough = 0;
  private readonly listeners = new Map<ResourceType, Set<ChangeListener>>();

  constructor(private readonly historyLimit: number) {}

  publish(event: ChangeEvent): void {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      const dropped = this.history[this.historyStart];
      this.historyStart++;
      if (dropped) this.compactedThrough = dropped.rv;
      // Shift the array only now and then so publishing stays O(1) amortised.
      if (this.historyStart > this.historyLimit) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    const listeners = this.listeners.get(event.type);
    if (listeners) for (const listener of [...listeners]) listener(event);
  }

  /** Events of a type after `rv`, or undefined when some of them were already compacted away. */
  eventsAfter(type: ResourceType, rv: number): ChangeEvent[] | undefined {
    if (rv < this.compactedThrough) return undefined;
    const events: ChangeEvent[] = [];
    for (let i = this.historyStart; i < this.history.length; i++) {
      const event = this.history[i];
      if (event && event.rv > rv && event.type === type) events.push(event);
    }
    return events;
  }

  /** The oldest resourceVersion a watch may still resume from. */
  oldestResumable(): number {
    return this.compactedThrough;
  }

  subscribe(type: ResourceType, listener: ChangeListener): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }
}
