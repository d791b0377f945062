import Negotiator from "negotiator";
import { GZIPPED_JSON } from "@/lib/gzippedJson";

/** Whether the client prefers the gzip file over plain JSON; a client that names neither (Accept: *\/*) gets JSON. */
export function prefersGzippedJson(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "*/*";
  return new Negotiator({ headers: { accept } }).mediaType(["application/json", GZIPPED_JSON]) === GZIPPED_JSON;
}
