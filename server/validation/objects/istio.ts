import { z } from "zod";
import { list, matchLabelsSchema, metadataSchema, portNumber, section, stringMap } from "@/lib/istio/fields";
import { conditionSchema, conditionsStatusSchema } from "./gatewayApi";

/**
 * Istio kinds, with the fields the rules read (https://istio.io/latest/docs/reference/config/).
 * Enumerations stay plain strings: a value Istio adds later must not turn into a parse failure.
 * VirtualService and DestinationRule are read with their kind modules' normalized schemas.
 */

const hostList = list(z.string());

const gatewayServerSchema = section({
  port: section({ number: portNumber.optional(), name: z.string().optional(), protocol: z.string().optional(), targetPort: portNumber.optional() }).optional(),
  hosts: hostList,
  tls: section({ mode: z.string().optional(), credentialName: z.string().optional() }).optional(),
});
export type GatewayServer = z.infer<typeof gatewayServerSchema>;

export const gatewaySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({ selector: stringMap, servers: list(gatewayServerSchema) }),
});

export const serviceEntrySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    hosts: hostList,
    addresses: list(z.string()),
    ports: list(section({ number: portNumber, name: z.string().optional(), protocol: z.string().optional(), targetPort: portNumber.optional() })),
    location: z.string().optional(),
    resolution: z.string().optional(),
    exportTo: list(z.string()),
    workloadSelector: section({ labels: stringMap }).optional(),
  }),
  status: section({ addresses: list(section({ host: z.string().optional(), value: z.string().optional() })), conditions: list(conditionSchema) }),
});

export const sidecarSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    workloadSelector: section({ labels: stringMap }).optional(),
    outboundTrafficPolicy: section({ mode: z.string().optional(), egressProxy: z.unknown().optional() }).optional(),
  }),
});

export const workloadEntrySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({ address: z.string().optional(), labels: stringMap, serviceAccount: z.string().optional() }),
});

const stringList = list(z.string());

const authorizationSourceSchema = section({
  principals: stringList,
  notPrincipals: stringList,
  namespaces: stringList,
  notNamespaces: stringList,
  requestPrincipals: stringList,
  notRequestPrincipals: stringList,
});

/** What a request goes to; all but ports are HTTP attributes, which only a waypoint or sidecar can check. */
const authorizationOperationSchema = section({
  hosts: stringList,
  notHosts: stringList,
  ports: stringList,
  notPorts: stringList,
  methods: stringList,
  notMethods: stringList,
  paths: stringList,
  notPaths: stringList,
});

const targetRefSchema = section({ kind: z.string().optional(), name: z.string().optional() });

export const authorizationPolicySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    selector: matchLabelsSchema.optional(),
    targetRef: targetRefSchema.optional(),
    targetRefs: list(targetRefSchema),
    action: z.string().optional(),
    rules: list(
      section({
        from: list(section({ source: authorizationSourceSchema })),
        to: list(section({ operation: authorizationOperationSchema })),
        when: list(section({ key: z.string().default("") })),
      }),
    ),
  }),
  status: conditionsStatusSchema,
});

export const requestAuthenticationSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    selector: matchLabelsSchema.optional(),
    targetRef: targetRefSchema.optional(),
    targetRefs: list(targetRefSchema),
  }),
});

/** Gateway API Gateway (gateway.networking.k8s.io), which VirtualServices may also bind to. */
export const kubernetesGatewaySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    gatewayClassName: z.string().optional(),
    listeners: list(
      section({
        name: z.string().optional(),
        hostname: z.string().optional(),
        port: portNumber.optional(),
        protocol: z.string().optional(),
        tls: section({ mode: z.string().optional() }).optional(),
        allowedRoutes: section({
          namespaces: section({
            from: z.string().optional(),
            selector: section({
              matchLabels: stringMap,
              matchExpressions: list(section({ key: z.string(), operator: z.string(), values: list(z.string()) })),
            }).optional(),
          }).optional(),
          kinds: list(section({ group: z.string().optional(), kind: z.string() })),
        }).optional(),
      }),
    ),
  }),
  status: conditionsStatusSchema,
});
