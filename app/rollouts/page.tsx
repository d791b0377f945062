import { RolloutsList } from "@/components/rollouts/RolloutsList";

/** Every canary rollout the console stored, across the namespaces the person may read. */
export default function RolloutsPage() {
  return (
    <>
      <h1>Rollouts</h1>
      <RolloutsList />
    </>
  );
}
