/**
 * Kubernetes object-name rules, checked before a name reaches a URL or a query.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
import { z } from "zod";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Namespaces and Services are DNS-1123 labels. */
export const namespaceNameSchema = z
  .string()
  .refine(isDns1123Label, {
    message: "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
  });

/** Most other kinds (Deployments, Istio resources) are DNS-1123 subdomains. */
export const objectNameSchema = z
  .string()
  .refine(isDns1123Subdomain, {
    message: "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters",
  });

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** A host name as Istio reports it for destinations outside the mesh (`api.example.com`, `PassthroughCluster`, `*.example.com`). */
const HOST_NAME = /^[A-Za-z0-9*]([-A-Za-z0-9_.*]*[A-Za-z0-9])?$/;

/** Kubernetes label values: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

export function isHostName(value: string): boolean {
  return value.length <= 253 && HOST_NAME.test(value);
}
