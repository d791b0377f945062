import { ISTIO_KINDS } from "@/lib/istioKinds";

/** One `<option>` per Istio kind the console reads, for the kind pickers. */
export function IstioKindOptions() {
  return (
    <>
      {ISTIO_KINDS.map((info) => (
        <option key={info.kind} value={info.kind}>
          {info.kind}
        </option>
      ))}
    </>
  );
}
