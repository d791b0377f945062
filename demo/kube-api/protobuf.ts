/**
 * Just enough of Kubernetes' protobuf encoding to read request bodies that clients send that way.
 * client-go (and so kubectl) sends built-in kinds such as SelfSubjectAccessReview as
 * `application/vnd.kubernetes.protobuf` and accepts JSON back, so the emulator decodes the body
 * and answers in JSON. The body is the magic `k8s\0`, then a runtime.Unknown message whose `raw`
 * field holds the object. https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding
 */
import { badRequest } from "./status";

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A decoded message: field number → its values in order (varints as numbers, length-delimited as bytes). */
export type ProtoMessage = ReadonlyMap<number, readonly (number | Buffer)[]>;

function readVarint(bytes: Buffer, start: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let at = start; at < bytes.length && at < start + 10; at++) {
    const byte = bytes[at] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
  }
  throw badRequest("the protobuf request body is truncated (varint)");
}

export function decodeMessage(bytes: Buffer): ProtoMessage {
  const fields = new Map<number, (number | Buffer)[]>();
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    const field = Math.floor(key.value / 8);
    const wireType = key.value % 8;
    let value: number | Buffer;
    if (wireType === 0) {
      const varint = readVarint(bytes, key.next);
      value = varint.value;
      at = varint.next;
    } else if (wireType === 2) {
      const length = readVarint(bytes, key.next);
      const end = length.next + length.value;
      if (end > bytes.length) throw badRequest("the protobuf request body is truncated (length-delimited field)");
      value = bytes.subarray(length.next, end);
      at = end;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      value = bytes.subarray(key.next, key.next + size);
      at = key.next + size;
    } else {
      throw badRequest(`the protobuf request body uses wire type ${wireType}, which Kubernetes objects never do`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

/** The last value of a length-delimited field as a sub-message, or undefined when absent. */
export function messageField(message: ProtoMessage, field: number): ProtoMessage | undefined {
  const value = message.get(field)?.at(-1);
  return value instanceof Buffer ? decodeMessage(value) : undefined;
}

/** The last value of a string field, or undefined when absent. */
export function stringField(message: ProtoMessage, field: number): string | undefined {
  const value = message.get(field)?.at(-1);
  return value instanceof Buffer ? value.toString("utf8") : undefined;
}

/** Unwraps the `k8s\0` envelope: the object's apiVersion and kind, and its encoded message. */
export function decodeEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: ProtoMessage } {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest("the protobuf request body does not start with the Kubernetes magic number (k8s\\0)");
  }
  const unknown = decodeMessage(body.subarray(MAGIC.length));
  const typeMeta = messageField(unknown, 1);
  const raw = unknown.get(2)?.at(-1);
  return {
    apiVersion: (typeMeta && stringField(typeMeta, 1)) ?? "",
    kind: (typeMeta && stringField(typeMeta, 2)) ?? "",
    raw: raw instanceof Buffer ? decodeMessage(raw) : new Map(),
  };
}
