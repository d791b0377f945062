import { z } from "zod";
import { list, matchLabelsSchema, metadataSchema, portNumber, section, stringMap } from "./common";

/**
 * Istio kinds, with the fields the rules read (https://istio.io/latest/docs/reference/config/).
 * Enumerations stay plain strings: a value Istio adds later must not turn into a parse failure.
 */

const hostList = list(z.string());

export const destinationSchema = section({
  host: z.string().optional(),
  subset: z.string().optional(),
  port: section({ number: portNumber.optional() }),
});
export type Destination = z.infer<typeof destinationSchema>;

const routeDestinationSchema = section({
  destination: destinationSchema.optional(),
  weight: z.number().int().optional(),
});

const stringMatchSchema = section({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() });

/** Matches stay loose: duplicate detection compares them whole. */
const httpMatchSchema = section({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  headers: z.preprocess((v) => v ?? {}, z.record(z.string(), z.unknown())),
});
export type HttpMatch = z.infer<typeof httpMatchSchema>;

const percentSchema = z.number().optional();

const httpRouteSchema = section({
  name: z.string().optional(),
  match: list(httpMatchSchema),
  route: list(routeDestinationSchema),
  mirror: destinationSchema.optional(),
  mirrors: list(section({ destination: destinationSchema.optional() })),
  mirror_percent: z.number().optional(),
  mirrorPercent: z.number().optional(),
  fault: section({
    delay: section({ percent: percentSchema }).optional(),
    abort: section({ percent: percentSchema }).optional(),
  }).optional(),
  corsPolicy: section({ allowOrigin: list(z.string()) }).optional(),
});
export type HttpRoute = z.infer<typeof httpRouteSchema>;

const l4RouteSchema = section({
  match: list(z.looseObject({})),
  route: list(routeDestinationSchema),
});
export type L4Route = z.infer<typeof l4RouteSchema>;

export const virtualServiceSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    hosts: hostList,
    gateways: hostList,
    exportTo: list(z.string()),
    http: list(httpRouteSchema),
    tcp: list(l4RouteSchema),
    tls: list(l4RouteSchema),
  }),
});

const clientTlsSchema = section({
  mode: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
});
export type ClientTls = z.infer<typeof clientTlsSchema>;

const trafficPolicySchema = section({
  tls: clientTlsSchema.optional(),
  portLevelSettings: list(section({ port: section({ number: portNumber.optional() }), tls: clientTlsSchema.optional() })),
});
export type TrafficPolicy = z.infer<typeof trafficPolicySchema>;

export const destinationRuleSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    host: z.string().min(1, "expected the host the rule applies to"),
    exportTo: list(z.string()),
    trafficPolicy: trafficPolicySchema.optional(),
    subsets: list(section({ name: z.string().min(1, "expected a subset name"), labels: stringMap, trafficPolicy: trafficPolicySchema.optional() })),
    workloadSelector: matchLabelsSchema.optional(),
  }),
});

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
  status: section({ addresses: list(section({ host: z.string().optional(), value: z.string().optional() })) }),
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

const mtlsModeSchema = section({ mode: z.string().optional() });

export const peerAuthenticationSchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    selector: matchLabelsSchema.optional(),
    mtls: mtlsModeSchema.optional(),
    portLevelMtls: z.preprocess((v) => v ?? {}, z.record(z.string(), mtlsModeSchema)),
  }),
});

const stringList = list(z.string());

const authorizationSourceSchema = section({
  principals: stringList,
  notPrincipals: stringList,
  namespaces: stringList,
  notNamespaces: stringList,
});

const targetRefSchema = section({ kind: z.string().optional(), name: z.string().optional() });

export const authorizationPolicySchema = z.looseObject({
  metadata: metadataSchema,
  spec: section({
    selector: matchLabelsSchema.optional(),
    targetRef: targetRefSchema.optional(),
    targetRefs: list(targetRefSchema),
    action: z.string().optional(),
    rules: list(section({ from: list(section({ source: authorizationSourceSchema })) })),
  }),
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
    listeners: list(section({ name: z.string().optional(), hostname: z.string().optional(), port: portNumber.optional(), protocol: z.string().optional() })),
  }),
});
