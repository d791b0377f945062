import { describe, expect, it } from "vitest";
import { leaseAction, leaseViewOf } from "./lease";

const now = Date.parse("2026-12-07T10:00:00Z");

describe("leaseAction", () => {
  it("creates a lease nobody has written", () => {
    expect(leaseAction(undefined, "console-a", now)).toBe("create");
  });

  it("renews its own lease", () => {
    expect(leaseAction({ holder: "console-a", renewedAt: now - 5000, durationSeconds: 15 }, "console-a", now)).toBe("renew");
  });

  it("leaves a live holder alone", () => {
    expect(leaseAction({ holder: "console-b", renewedAt: now - 14_000, durationSeconds: 15 }, "console-a", now)).toBe("held-by-other");
  });

  it("takes over once the holder has not renewed for the lease's duration", () => {
    expect(leaseAction({ holder: "console-b", renewedAt: now - 16_000, durationSeconds: 15 }, "console-a", now)).toBe("take-over");
  });

  it("takes over a released lease", () => {
    expect(leaseAction({ holder: undefined, renewedAt: now, durationSeconds: 15 }, "console-a", now)).toBe("take-over");
  });

  it("reads the API's fields", () => {
    const view = leaseViewOf({ spec: { holderIdentity: "console-b", renewTime: new Date(now), leaseDurationSeconds: 15 } });
    expect(view).toEqual({ holder: "console-b", renewedAt: now, durationSeconds: 15 });
  });
});
