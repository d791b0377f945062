import Link from "next/link";
import { notFound } from "next/navigation";
import { IstioObjectView } from "@/components/config/IstioObjectView";
import { CLUSTER_SCOPE_SEGMENT, ISTIO_KINDS, kindLabel } from "@/lib/istioKinds";
import { isDns1123Label, isDns1123Subdomain } from "@/lib/kubeNames";

/** `/istio/<namespace>/<kind>/<name>`; a cluster-scoped kind (GatewayClass) has `_cluster` as its namespace. */
export default async function IstioObjectPage({ params }: { params: Promise<{ namespace: string; kind: string; name: string }> }) {
  const { namespace, kind, name } = await params;
  const info = ISTIO_KINDS.find((candidate) => candidate.kind === kind);
  const namespaceFits = info?.namespaced ? isDns1123Label(namespace) : namespace === CLUSTER_SCOPE_SEGMENT;
  if (!info || !namespaceFits || !isDns1123Subdomain(name)) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        {info.namespaced ? (
          <>
            <Link href={`/istio?namespaces=${namespace}`}>Istio Config</Link> / {namespace} / {kindLabel(kind)}
          </>
        ) : (
          <>
            <Link href="/istio">Istio Config</Link> / cluster-scoped / {kindLabel(kind)}
          </>
        )}
      </nav>
      <h1>
        {kindLabel(kind)} {name}
      </h1>
      <IstioObjectView namespace={namespace} kind={kind} name={name} />
    </>
  );
}
