import Link from "next/link";
import { CreateObjectView } from "@/components/config/CreateObjectView";
import { ISTIO_KINDS, type IstioKind } from "@/lib/istioKinds";
import { isDns1123Label } from "@/lib/kubeNames";

export default async function NewIstioObjectPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const kind = ISTIO_KINDS.find((info) => info.kind === params.kind)?.kind ?? ("VirtualService" satisfies IstioKind);
  const namespace = typeof params.namespace === "string" && isDns1123Label(params.namespace) ? params.namespace : "";
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/istio">Istio Config</Link> / new
      </nav>
      <h1>Create Istio config</h1>
      <CreateObjectView initialKind={kind} initialNamespace={namespace} />
    </>
  );
}
