import { kindNames } from "../objects";
import { finding, type Rule } from "../rule";

/** Objects that could not be read against their kind's schema are reported, not skipped silently. */
export const schemaRule: Rule = {
  id: "schema",
  description: "Objects match their kind's schema.",
  reads: kindNames,
  codes: ["IST0106"],
  check(snapshot) {
    return snapshot.invalidObjects().map((invalid) => finding("IST0106", invalid.ref, invalid.path, `Schema validation error: ${invalid.message}`));
  },
};
