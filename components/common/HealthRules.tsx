import type { HealthExplanation } from "@/lib/healthExplanation";

/**
 * Health explained in words (lib/healthExplanation.ts), the same in the graph's legend and above
 * the lists; the caller gives the heading and the list's look.
 */
export function HealthRules({ explanation, listClassName }: { explanation: HealthExplanation; listClassName?: string }) {
  return (
    <>
      <p>{explanation.basis}</p>
      <ul className={listClassName} aria-label="Health rules">
        {explanation.rules.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      <p>
        {explanation.override.before} <code>{explanation.override.annotation}</code> {explanation.override.after}
      </p>
    </>
  );
}
