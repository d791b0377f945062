import type { Rule } from "../rule";
import { ambientEnrolmentRule } from "./ambient-enrolment";
import { ambientL7PoliciesRule } from "./ambient-l7-policies";
import { ambientWaypointsRule } from "./ambient-waypoints";
import { annotationsRule } from "./annotations";
import { applicationUidRule } from "./application-uid";
import { authorizationPoliciesRule } from "./authorization-policies";
import { deprecatedFieldsRule } from "./deprecated-fields";
import { destinationRuleHostsRule } from "./destination-rule-hosts";
import { destinationRuleOverlapRule } from "./destination-rule-overlap";
import { destinationRulePlacementRule } from "./destination-rule-placement";
import { destinationRuleTlsRule } from "./destination-rule-tls";
import { gatewayApiCrdVersionRule } from "./gateway-api-crd-version";
import { gatewayApiReferencesRule } from "./gateway-api-references";
import { gatewayApiSelectorsRule } from "./gateway-api-selectors";
import { gatewayConflictsRule } from "./gateway-conflicts";
import { gatewayWorkloadsRule } from "./gateway-workloads";
import { injectionRule } from "./injection";
import { jwtClaimRoutesRule } from "./jwt-claim-routes";
import { mtlsRule } from "./mtls";
import { negativeConditionsRule } from "./negative-conditions";
import { routeMatchesRule } from "./route-matches";
import { routeWeightsRule } from "./route-weights";
import { schemaRule } from "./schema";
import { serviceAssociationRule } from "./service-association";
import { serviceEntryAddressesRule } from "./service-entry-addresses";
import { serviceEntryProtocolsRule } from "./service-entry-protocols";
import { servicePortNamesRule } from "./service-port-names";
import { sidecarSelectorsRule } from "./sidecar-selectors";
import { virtualServiceDestinationsRule } from "./virtual-service-destinations";
import { virtualServiceGatewaysRule } from "./virtual-service-gateways";
import { virtualServiceHostConflictsRule } from "./virtual-service-host-conflicts";
import { virtualServiceSubsetsRule } from "./virtual-service-subsets";
import { workloadLabelsRule } from "./workload-labels";

/** Every rule the engine runs, in a fixed order. */
export const allRules: readonly Rule[] = [
  schemaRule,
  annotationsRule,
  deprecatedFieldsRule,
  injectionRule,
  servicePortNamesRule,
  serviceAssociationRule,
  applicationUidRule,
  workloadLabelsRule,
  gatewayWorkloadsRule,
  gatewayConflictsRule,
  sidecarSelectorsRule,
  virtualServiceDestinationsRule,
  virtualServiceSubsetsRule,
  virtualServiceGatewaysRule,
  virtualServiceHostConflictsRule,
  jwtClaimRoutesRule,
  routeMatchesRule,
  routeWeightsRule,
  destinationRuleHostsRule,
  destinationRuleTlsRule,
  destinationRuleOverlapRule,
  destinationRulePlacementRule,
  mtlsRule,
  serviceEntryAddressesRule,
  serviceEntryProtocolsRule,
  authorizationPoliciesRule,
  gatewayApiReferencesRule,
  gatewayApiSelectorsRule,
  gatewayApiCrdVersionRule,
  negativeConditionsRule,
  ambientEnrolmentRule,
  ambientWaypointsRule,
  ambientL7PoliciesRule,
];
