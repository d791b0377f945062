import { MtlsSection } from "@/components/security/MtlsSection";

/**
 * Security: mTLS readiness per namespace and workload, with enforcing STRICT and rollback. The
 * authorization proposal lives on the workload page (components/security/AuthorizationPolicySection.tsx).
 */
export default function SecurityPage() {
  return (
    <>
      <h1>Security</h1>
      <MtlsSection />
    </>
  );
}
