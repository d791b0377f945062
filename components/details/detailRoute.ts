import { notFound } from "next/navigation";
import { isDns1123Label, isDns1123Subdomain } from "@/lib/kubeNames";

/** A detail page's path names, checked as Kubernetes names before anything is asked about them. */
export async function detailRouteParams(params: Promise<{ namespace: string; name: string }>): Promise<{ namespace: string; name: string }> {
  const { namespace, name } = await params;
  let decodedNamespace: string;
  let decodedName: string;
  try {
    decodedNamespace = decodeURIComponent(namespace);
    decodedName = decodeURIComponent(name);
  } catch {
    // A malformed percent-encoding names nothing.
    notFound();
  }
  if (!isDns1123Label(decodedNamespace) || !isDns1123Subdomain(decodedName)) notFound();
  return { namespace: decodedNamespace, name: decodedName };
}
