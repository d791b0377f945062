import { DetailPage } from "@/components/details/DetailPage";
import { detailRouteParams } from "@/components/details/detailRoute";

export default async function Page({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await detailRouteParams(params);
  return <DetailPage kind="app" namespace={namespace} name={name} />;
}
