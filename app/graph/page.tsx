import { GraphView } from "@/components/graph/GraphView";

export default function GraphPage() {
  return (
    <>
      <h1>Graph</h1>
      <GraphView />
    </>
  );
}
