import { WorkloadList } from "@/components/lists/WorkloadList";

export default function WorkloadsPage() {
  return (
    <>
      <h1>Workloads</h1>
      <WorkloadList />
    </>
  );
}
