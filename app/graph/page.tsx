import { Empty } from "@/components/common/states";

export default function GraphPage() {
  return (
    <>
      <h1>Graph</h1>
      <Empty title="No traffic graph yet">The live service graph is not part of this version of the console.</Empty>
    </>
  );
}
