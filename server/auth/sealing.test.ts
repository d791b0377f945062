import { describe, expect, it } from "vitest";
import { seal, unseal } from "./sealing";
import { keyRingFrom, sessionKeyFrom, type SessionKeyRing } from "./sessionKeys";

const keyA = sessionKeyFrom(Buffer.from("a".repeat(40)));
const keyB = sessionKeyFrom(Buffer.from("b".repeat(40)));
const ring = (...keys: (typeof keyA)[]): SessionKeyRing => ({ keys: keys as [typeof keyA, ...(typeof keyA)[]] });

describe("sealed values", () => {
  it("round-trips a payload that the browser cannot read", async () => {
    const sealed = await seal("mesh-console-session", { token: "secret-token" }, ring(keyA));
    expect(sealed).not.toContain("secret-token");
    expect(Buffer.from(sealed.split(".")[3] ?? "", "base64url").toString()).not.toContain("secret-token");
    expect(await unseal("mesh-console-session", sealed, ring(keyA))).toEqual({ token: "secret-token" });
  });

  it("refuses a value changed by one character (authenticated encryption)", async () => {
    const sealed = await seal("mesh-console-session", { token: "t" }, ring(keyA));
    const parts = sealed.split(".");
    const cipher = parts[3] ?? "";
    parts[3] = (cipher[0] === "A" ? "B" : "A") + cipher.slice(1);
    expect(await unseal("mesh-console-session", parts.join("."), ring(keyA))).toBeUndefined();
  });

  it("refuses a value sealed for another purpose (a flow cookie is not a session)", async () => {
    const sealed = await seal("mesh-console-openid-flow", { token: "t" }, ring(keyA));
    expect(await unseal("mesh-console-session", sealed, ring(keyA))).toBeUndefined();
  });

  it("rotates: the first key seals, both open, and a removed key's cookies no longer open", async () => {
    const old = await seal("mesh-console-session", { n: 1 }, ring(keyA));
    const rotated = ring(keyB, keyA);
    expect(await unseal("mesh-console-session", old, rotated)).toEqual({ n: 1 });
    const fresh = await seal("mesh-console-session", { n: 2 }, rotated);
    expect(await unseal("mesh-console-session", fresh, ring(keyB))).toEqual({ n: 2 });
    expect(await unseal("mesh-console-session", fresh, ring(keyA))).toBeUndefined();
    expect(await unseal("mesh-console-session", old, ring(keyB))).toBeUndefined();
  });

  it("ignores garbage and unsealed JWTs", async () => {
    expect(await unseal("mesh-console-session", "not-a-jwe", ring(keyA))).toBeUndefined();
    expect(await unseal("mesh-console-session", undefined, ring(keyA))).toBeUndefined();
    expect(await unseal("mesh-console-session", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", ring(keyA))).toBeUndefined();
  });
});

describe("key ring from a Secret's files", () => {
  const file = (name: string, content: string) => ({ name, content: Buffer.from(content) });

  it("seals with the file whose name sorts first and skips Kubernetes' dot-entries", () => {
    const built = keyRingFrom([file("2-old", "o".repeat(40)), file("..data", "x"), file("1-new", "n".repeat(40))], "keys");
    expect(built.keys.map((key) => key.id)).toEqual([sessionKeyFrom(Buffer.from("n".repeat(40))).id, sessionKeyFrom(Buffer.from("o".repeat(40))).id]);
  });

  it("refuses short keys and an empty directory, naming the setting", () => {
    expect(() => keyRingFrom([file("k", "short")], "keys")).toThrow(/MESH_CONSOLE_SESSION_KEYS_DIR keys: k holds 5 bytes, at least 32/);
    expect(() => keyRingFrom([], "keys")).toThrow(/no key file/);
  });
});
