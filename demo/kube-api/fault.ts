/**
 * Injected write failures, so tests can make "the next write of this object" fail the way a
 * real API server sometimes does (a 409 from a concurrent writer, a 500, a 503 during upgrade).
 */
import { z } from "zod";
import type { ResourceType, Verb } from "./resources";
import { ApiError, failureWithCode } from "./status";

const WRITE_VERBS = ["create", "update", "patch", "delete"] as const;

export const writeFaultSchema = z.object({
  /** Which write fails; any write when absent. */
  verb: z.enum(WRITE_VERBS).optional(),
  /** Plural resource name as in the URL, e.g. "virtualservices". */
  resource: z.string().min(1, "resource must be a plural resource name such as virtualservices"),
  namespace: z.string().optional(),
  name: z.string().optional(),
  /** HTTP status to answer with; 409 gives a Conflict Status, 500 an InternalError… */
  status: z.number().int().min(400).max(599).default(500),
  message: z.string().optional(),
  /** Let this many matching writes succeed first (1 = fail the second write). */
  skip: z.number().int().min(0).default(0),
});

export type WriteFault = z.input<typeof writeFaultSchema>;
type ArmedFault = z.output<typeof writeFaultSchema>;

export class FaultInjector {
  private readonly armed: ArmedFault[] = [];

  failNextWrite(fault: WriteFault): void {
    const parsed = writeFaultSchema.safeParse(fault);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`failNextWrite: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
    }
    this.armed.push(parsed.data);
  }

  /** Throws the injected failure if one is armed for this write; each fault fires once. */
  check(verb: Verb, type: ResourceType, namespace: string | undefined, name: string): void {
    const index = this.armed.findIndex(
      (f) =>
        (f.verb === undefined || f.verb === verb) &&
        (f.resource === type.plural || f.resource === `${type.plural}.${type.group}`) &&
        (f.namespace === undefined || f.namespace === namespace) &&
        (f.name === undefined || f.name === name),
    );
    const fault = this.armed[index];
    if (!fault) return;
    if (fault.skip > 0) {
      fault.skip--;
      return;
    }
    this.armed.splice(index, 1);
    const error = failureWithCode(fault.status, type, name, fault.message);
    throw new ApiError(error.code, error.reason, fault.message ?? error.message, error.details);
  }

  pending(): number {
    return this.armed.length;
  }
}
