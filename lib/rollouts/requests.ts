/**
 * What the rollout endpoints accept: a start (which versions, which plan) and a command by hand.
 * Shared by the form (to word problems before sending) and the server (which checks again).
 */
import { z } from "zod";
import { rolloutPlanSchema } from "./plan";

const versionName = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/, "a version is a lowercase label value (letters, digits, '-', '.')");

export const startRolloutSchema = z
  .strictObject({
    /** The version that receives traffic now and gives it up step by step. */
    stable: versionName,
    /** The version the steps send traffic to. */
    canary: versionName,
    plan: rolloutPlanSchema,
  })
  .refine((input) => input.stable !== input.canary, { message: "the canary and the stable version are different versions", path: ["canary"] });
export type StartRolloutInput = z.infer<typeof startRolloutSchema>;

export const rolloutCommandSchema = z.discriminatedUnion("command", [
  z.strictObject({ command: z.literal("pause") }),
  z.strictObject({ command: z.literal("resume") }),
  z.strictObject({ command: z.literal("abort") }),
  z.strictObject({ command: z.literal("promote") }),
  z.strictObject({ command: z.literal("skipTo"), stepIndex: z.number().int().min(0).max(19) }),
]);
export type RolloutCommandInput = z.infer<typeof rolloutCommandSchema>;
