import { PodPage } from "@/components/details/PodPage";
import { detailRouteParams } from "@/components/details/detailRoute";

export default async function Page({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await detailRouteParams(params);
  return <PodPage namespace={namespace} name={name} />;
}
