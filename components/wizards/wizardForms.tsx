"use client";

import type { ComponentType } from "react";
import type { WizardKey } from "@/lib/routing/wizards";
import { CircuitBreakingWizard, FaultInjectionWizard, MirroringWizard, RequestRoutingWizard, TimeoutsWizard, type WizardProps } from "./RouteWizards";
import { TrafficShiftWizard } from "./TrafficShiftWizard";

/** Each registry entry's form (lib/routing/wizards.ts); the type makes a new entry without a form a compile error. */
export const WIZARD_FORMS: Record<WizardKey, ComponentType<WizardProps>> = {
  trafficShift: TrafficShiftWizard,
  requestRouting: RequestRoutingWizard,
  faultInjection: FaultInjectionWizard,
  timeouts: TimeoutsWizard,
  circuitBreaking: CircuitBreakingWizard,
  mirroring: MirroringWizard,
};
