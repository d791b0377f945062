import { IssuesView } from "@/components/validation/IssuesView";

export default function IssuesPage() {
  return (
    <>
      <h1>Issues</h1>
      <IssuesView />
    </>
  );
}
