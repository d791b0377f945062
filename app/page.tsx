import { NamespaceOverview } from "@/components/overview/NamespaceOverview";

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <NamespaceOverview />
    </>
  );
}
