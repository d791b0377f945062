import { describe, expect, it } from "vitest";
import { SessionStore } from "./sessions";

function storeAt(start = 1_000_000) {
  let now = start;
  const store = new SessionStore<{ who: string }>({ now: () => now, idleTimeoutMs: 1_000, absoluteTimeoutMs: 5_000, maxSessions: 3 });
  return { store, advance: (ms: number) => (now += ms) };
}

describe("SessionStore", () => {
  it("issues unguessable 256-bit ids, a new one per sign-in", () => {
    const { store } = storeAt();
    const ids = new Set(Array.from({ length: 3 }, () => store.create({ who: "a" }).id));
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("ends a session left idle longer than the idle timeout", () => {
    const { store, advance } = storeAt();
    const { id } = store.create({ who: "a" });
    advance(999);
    expect(store.touch(id)?.extra.who).toBe("a");
    advance(1_000);
    expect(store.touch(id)).toBeUndefined();
  });

  it("ends a busy session at the absolute timeout (a stolen cookie cannot be kept alive)", () => {
    const { store, advance } = storeAt();
    const { id } = store.create({ who: "a" });
    for (let i = 0; i < 5; i++) {
      advance(900);
      expect(store.touch(id)).toBeDefined();
    }
    advance(600);
    expect(store.touch(id)).toBeUndefined();
  });

  it("peek does not extend the idle time", () => {
    const { store, advance } = storeAt();
    const { id } = store.create({ who: "a" });
    advance(600);
    expect(store.peek(id)).toBeDefined();
    advance(600);
    expect(store.peek(id)).toBeUndefined();
  });

  it("refuses forged ids: guessed, empty, or shaped to smuggle another cookie", () => {
    const { store } = storeAt();
    store.create({ who: "a" });
    for (const forged of ["", "admin", "x".repeat(43), "a; mesh-console-session=b", undefined]) expect(store.touch(forged)).toBeUndefined();
  });

  it("drops the oldest session when full, so signing in in a loop cannot exhaust memory", () => {
    const { store } = storeAt();
    const first = store.create({ who: "1" });
    store.create({ who: "2" });
    store.create({ who: "3" });
    store.create({ who: "4" });
    expect(store.size).toBe(3);
    expect(store.touch(first.id)).toBeUndefined();
  });

  it("signing out deletes the session", () => {
    const { store } = storeAt();
    const { id } = store.create({ who: "a" });
    store.delete(id);
    expect(store.touch(id)).toBeUndefined();
  });
});
