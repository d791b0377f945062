import Link from "next/link";

/** A namespace card's line for proxies out of sync with istiod (nothing when all are in sync). */
export function StaleProxiesNote({ namespace, count }: { namespace: string; count: number }) {
  if (count === 0) return null;
  return (
    <p className="warning" data-testid="namespace-stale-proxies">
      ▲{" "}
      <Link href={`/workloads?namespaces=${namespace}`}>
        {count} prox{count === 1 ? "y" : "ies"} out of sync with istiod
      </Link>
    </p>
  );
}
