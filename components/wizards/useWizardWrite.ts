"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { queryKeys } from "@/lib/queryKeys";
import type { RoutingState, RoutingWriteResult } from "@/lib/routing/schemas";
import type { RoutingWrite } from "@/lib/routing/wizards";
import { sendWizard } from "./routingApi";

/**
 * The resourceVersions the wizard opened with (the server answers 409 if an object moved on) and
 * the API it writes: the routing object is the VirtualService, or the HTTPRoute with the Gateway API.
 */
export function openedVersions(state: RoutingState): { resourceVersion: string; destinationRuleResourceVersion?: string; generation?: number; api: RoutingState["api"] } {
  if (state.api === "gateway-api") return { resourceVersion: state.httpRoute?.resourceVersion ?? "", ...(state.httpRoute?.generation != null ? { generation: state.httpRoute.generation } : {}), api: state.api };
  return { resourceVersion: state.virtualService?.resourceVersion ?? "", destinationRuleResourceVersion: state.destinationRule?.resourceVersion ?? "", api: state.api };
}

export interface WizardWrite {
  preview: RoutingWriteResult | null;
  /** The body the preview was made for; a different body needs a new preview before applying. */
  previewedBody: string | null;
  previewing: boolean;
  applying: boolean;
  error: unknown;
  applied: RoutingWriteResult | null;
  review: (body: Record<string, unknown>) => void;
  apply: (body: Record<string, unknown>) => void;
  reset: () => void;
}

/** Preview (server dry run) and apply for one wizard, refreshing the routing state after a write. */
export function useWizardWrite(namespace: string, service: string, wizard: RoutingWrite, state: RoutingState): WizardWrite {
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<{ result: RoutingWriteResult; body: string } | null>(null);
  const [applied, setApplied] = useState<RoutingWriteResult | null>(null);
  const previewMutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => sendWizard(namespace, service, wizard, { ...body, ...openedVersions(state), dryRun: true }),
    onSuccess: (result, body) => setPreview({ result, body: JSON.stringify(body) }),
  });
  const applyMutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => sendWizard(namespace, service, wizard, { ...body, ...openedVersions(state) }),
    onSuccess: async (result) => {
      setPreview(null);
      setApplied(result);
      await queryClient.invalidateQueries({ queryKey: queryKeys.routing(namespace, service) });
    },
  });
  return {
    preview: preview?.result ?? null,
    previewedBody: preview?.body ?? null,
    previewing: previewMutation.isPending,
    applying: applyMutation.isPending,
    error: previewMutation.error ?? applyMutation.error,
    applied,
    review: (body) => {
      applyMutation.reset();
      setApplied(null);
      previewMutation.mutate(body);
    },
    apply: (body) => applyMutation.mutate(body),
    reset: () => {
      setPreview(null);
      setApplied(null);
      previewMutation.reset();
      applyMutation.reset();
    },
  };
}
