/**
 * Request limits against the running demo, over plain HTTP: a body over the limit is refused with
 * 413 however it is sent (with a Content-Length, or chunked without one), a body of exactly the
 * limit still gets through, and a session starting more expensive reads at once than its limit is
 * answered 429 with Retry-After. The unit tests beside server/http/requestBody.ts and readLimits.ts
 * check each rule at its boundary; these check that the built server keeps them.
 */
import http from "node:http";
import { READ_RETRY_AFTER_SECONDS, SESSION_CONCURRENT_READS } from "../server/http/readLimits";
import { MAX_REQUEST_BYTES } from "../server/http/requestBody";
import { consoleWith, demoToken, type ExtraConsole } from "./extraConsoles";
import { expect, test } from "./fixtures";

const CHANGE = { "x-mesh-console": "1", "content-type": "application/json" };
const DRY_RUN_CREATE = "/api/istio-config/mesh-lab/VirtualService?dryRun=true";
/** A VirtualService the dry run accepts, sent as JSON (which is YAML too). */
const PROBE_YAML = JSON.stringify({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "limits-probe", namespace: "mesh-lab" }, spec: { hosts: ["catalog"], http: [{ route: [{ destination: { host: "catalog" } }] }] } });

interface Answer {
  status: number;
  body: { error?: { message: string; reason?: string } };
  /** Bytes of the body sent when the answer came. */
  sent: number;
}

/**
 * POSTs `prefix`, then `padding` spaces, then `suffix` with `Transfer-Encoding: chunked` and no
 * Content-Length, in 64 KiB chunks, as a client streaming an upload does. Stops sending once an
 * answer arrives.
 */
function postChunked(base: string, path: string, headers: Record<string, string>, parts: { prefix: string; padding: number; suffix: string }): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } });
    let sent = 0;
    let answered = false;
    const send = (chunk: Buffer) => {
      sent += chunk.byteLength;
      return request.write(chunk);
    };
    let left = parts.padding;
    const pump = () => {
      while (!answered && left > 0) {
        const size = Math.min(left, 64 * 1024);
        left -= size;
        if (!send(Buffer.alloc(size, 0x20))) return void request.once("drain", pump);
      }
      if (!answered) {
        send(Buffer.from(parts.suffix));
        request.end();
      }
    };
    request.on("response", (response) => {
      answered = true;
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer["body"], sent });
        request.destroy();
      });
    });
    // Once the answer is in, the console may close the connection under what is still being sent.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    send(Buffer.from(parts.prefix));
    pump();
  });
}

/** `{"yaml": …}` padded with whitespace after the JSON to exactly `bytes` bytes: valid JSON of that size. */
function editorBody(bytes: number) {
  const prefix = JSON.stringify({ yaml: PROBE_YAML });
  return { prefix, padding: bytes - Buffer.byteLength(prefix), suffix: "" };
}

const TOO_LARGE = { message: `The request body is larger than ${MAX_REQUEST_BYTES / 1024} KiB, the most the console accepts`, reason: "too-large" };

test.describe("request body limit", () => {
  test("a chunked body of exactly the limit is read whole; one byte more is refused with 413 (no Content-Length to check first)", async ({ baseURL }) => {
    const atLimit = await postChunked(baseURL ?? "", DRY_RUN_CREATE, CHANGE, editorBody(MAX_REQUEST_BYTES));
    expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(200);
    const over = await postChunked(baseURL ?? "", DRY_RUN_CREATE, CHANGE, editorBody(MAX_REQUEST_BYTES + 1));
    expect(over.status).toBe(413);
    expect(over.body.error).toEqual(TOO_LARGE);
  });

  test("a chunked body far over the limit gets 413 while it is still being sent, not a cut-off body treated as valid (memory exhaustion)", async ({ baseURL }) => {
    // The request gate ends the body one byte past the limit (server/http/bodyGate.ts); what reaches
    // the route must still be over the limit, or the padding after valid JSON would pass as a body within it.
    const total = 16 * 1024 * 1024;
    const answer = await postChunked(baseURL ?? "", DRY_RUN_CREATE, CHANGE, editorBody(total));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual(TOO_LARGE);
    expect(answer.sent).toBeLessThan(total);
  });

  test("a body whose Content-Length is over the limit gets 413 before it is read", async ({ baseURL }) => {
    const response = await fetch(`${baseURL}${DRY_RUN_CREATE}`, { method: "POST", headers: CHANGE, body: JSON.stringify({ yaml: PROBE_YAML }).padEnd(MAX_REQUEST_BYTES + 1) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toEqual(TOO_LARGE);
  });
});

test.describe("with token sign-in", () => {
  let tokenConsole: ExtraConsole;

  test.beforeAll(async () => {
    tokenConsole = await consoleWith({ MESH_CONSOLE_AUTH: "token" });
  });

  test.afterAll(async () => {
    await tokenConsole.stop();
  });

  test("sign-in refuses a chunked body over the limit with 413, though nobody is signed in yet", async () => {
    const token = JSON.stringify({ token: demoToken("demo-viewer") });
    const answer = await postChunked(tokenConsole.url, "/api/auth/login", CHANGE, { prefix: token, padding: 4 * 1024 * 1024, suffix: "" });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual(TOO_LARGE);
  });

  test(`a session starting more than ${SESSION_CONCURRENT_READS} graph reads at once gets 429 with Retry-After for the rest`, async () => {
    const signIn = await fetch(`${tokenConsole.url}/api/auth/login`, { method: "POST", headers: CHANGE, body: JSON.stringify({ token: demoToken("demo-viewer") }) });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const now = Math.floor(Date.now() / 1000);
    // Each at another moment, so none shares another's build or Prometheus answers and all take real time.
    const answers = await Promise.all(
      Array.from({ length: 5 * SESSION_CONCURRENT_READS }, async (_, index) => {
        const response = await fetch(`${tokenConsole.url}/api/graph?namespaces=bookinfo,mesh-lab&queryTime=${now - 60 - index}`, { headers: { cookie } });
        return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as Answer["body"] };
      }),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status !== 429).every((answer) => answer.status === 200)).toBe(true);
    expect(refused[0]?.retryAfter).toBe(String(READ_RETRY_AFTER_SECONDS));
    expect(refused[0]?.body.error?.message).toMatch(/^You already have \d+ graph or chart requests running/);

    // The slots are free again once those reads are answered.
    expect((await fetch(`${tokenConsole.url}/api/graph?namespaces=bookinfo`, { headers: { cookie } })).status).toBe(200);
  });
});
