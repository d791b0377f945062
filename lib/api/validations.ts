/** What GET /api/validations answers: the live findings and their counts per severity. */
import { z } from "zod";
import { findingListSchema, severitySchema } from "@/lib/validation/finding";

export const validationReportSchema = z.object({
  findings: findingListSchema,
  counts: z.record(severitySchema, z.number()),
  computedAt: z.string(),
});
