import { GATEWAY_API_GROUP, ISTIO_KINDS, kindLabel } from "@/lib/istioKinds";

/** One `<option>` per kind the console reads, Istio's and the Gateway API's in their own groups, for the kind pickers. */
export function IstioKindOptions() {
  const groups = [
    { label: "Istio", kinds: ISTIO_KINDS.filter((info) => info.group !== GATEWAY_API_GROUP) },
    { label: "Gateway API", kinds: ISTIO_KINDS.filter((info) => info.group === GATEWAY_API_GROUP) },
  ];
  return (
    <>
      {groups.map((group) => (
        <optgroup key={group.label} label={group.label}>
          {group.kinds.map((info) => (
            <option key={info.kind} value={info.kind}>
              {kindLabel(info.kind)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
