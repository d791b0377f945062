import { IstioConfigList } from "@/components/config/IstioConfigList";

export default function IstioConfigPage() {
  return (
    <>
      <h1>Istio Config</h1>
      <IstioConfigList />
    </>
  );
}
