import { GraphView } from "@/components/graph/GraphView";
import { getConfig } from "@/server/config";

export default function GraphPage() {
  return (
    <>
      <h1>Graph</h1>
      <GraphView configuredPresets={getConfig().graphPresets} />
    </>
  );
}
