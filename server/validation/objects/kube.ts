import { z } from "zod";
import { list, matchLabelsSchema, metadataSchema, portNumber, section, stringMap } from "@/lib/istio/fields";
import { conditionsStatusSchema } from "./gatewayApi";

/** The Kubernetes kinds the rules read, with only the fields they read. */

export const namespaceSchema = z.looseObject({ metadata: metadataSchema });

const servicePortSchema = section({
  name: z.string().optional(),
  port: portNumber,
  targetPort: z.union([z.number().int(), z.string()]).optional(),
  protocol: z.string().optional(),
  appProtocol: z.string().optional(),
});
export type ServicePort = z.infer<typeof servicePortSchema>;

export const serviceSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    type: z.string().optional(),
    selector: stringMap,
    ports: list(servicePortSchema),
    externalName: z.string().optional(),
  }),
  status: conditionsStatusSchema,
});

const securityContextSchema = section({ runAsUser: z.number().int().optional() });

const containerSchema = section({
  name: z.string().optional(),
  image: z.string().optional(),
  securityContext: securityContextSchema,
  ports: list(section({ containerPort: portNumber.optional(), name: z.string().optional() })),
});
export type Container = z.infer<typeof containerSchema>;

export const podSpecSchema = section({
  containers: list(containerSchema),
  initContainers: list(containerSchema),
  securityContext: securityContextSchema,
  serviceAccountName: z.string().optional(),
  serviceAccount: z.string().optional(),
  hostNetwork: z.boolean().optional(),
  nodeName: z.string().optional(),
});
export type PodSpec = z.infer<typeof podSpecSchema>;

export const podSchema = z.looseObject({ metadata: metadataSchema, spec: podSpecSchema });

const podTemplateSchema = section({
  metadata: section({ labels: stringMap, annotations: stringMap }),
  spec: podSpecSchema,
});

/** Deployments and ReplicaSets share the shape the rules read. */
export const workloadControllerSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({ selector: matchLabelsSchema, template: podTemplateSchema }),
});

export const serviceAccountSchema = z.looseObject({ metadata: metadataSchema });

export const configMapSchema = z.looseObject({ metadata: metadataSchema, data: stringMap });

export const endpointsSchema = z.looseObject({
  metadata: metadataSchema,
  subsets: list(
    section({
      addresses: list(section({ ip: z.string().optional(), targetRef: section({ kind: z.string().optional(), name: z.string().optional() }) })),
    }),
  ),
});

export const nodeSchema = z.looseObject({ metadata: metadataSchema });
