/**
 * A serving certificate for the emulator. kubectl only sends a kubeconfig's bearer token over
 * TLS (client-go reads user credentials only for https servers), so the kubeconfig points at
 * https with this certificate as its certificate authority. One certificate is made per
 * process, for 127.0.0.1, ::1 and localhost.
 */
import { generate } from "selfsigned";

export interface ServingCertificate {
  cert: string;
  key: string;
}

let pending: Promise<ServingCertificate> | undefined;

export function servingCertificate(): Promise<ServingCertificate> {
  pending ??= generate([{ name: "commonName", value: "mesh-console-demo-kube-api" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      // Marked as a CA so Go's verifier accepts it as the root of its own chain.
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return pending;
}
