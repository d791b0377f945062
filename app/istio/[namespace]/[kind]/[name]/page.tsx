import Link from "next/link";
import { notFound } from "next/navigation";
import { IstioObjectView } from "@/components/config/IstioObjectView";
import { ISTIO_KINDS } from "@/lib/istioKinds";
import { isDns1123Label, isDns1123Subdomain } from "@/lib/kubeNames";

export default async function IstioObjectPage({ params }: { params: Promise<{ namespace: string; kind: string; name: string }> }) {
  const { namespace, kind, name } = await params;
  if (!isDns1123Label(namespace) || !isDns1123Subdomain(name) || !ISTIO_KINDS.some((info) => info.kind === kind)) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={`/istio?namespaces=${namespace}`}>Istio Config</Link> / {namespace} / {kind}
      </nav>
      <h1>
        {kind} {name}
      </h1>
      <IstioObjectView namespace={namespace} kind={kind} name={name} />
    </>
  );
}
