/**
 * Errors injected into one version of an app, for demonstrating and testing what the console does
 * with an unhealthy canary: a Deployment whose pod template carries
 * `demo.mesh-console.io/error-rate: "0.3"` fails that share of the requests it serves (on top of what
 * the app fails anyway), answered with `demo.mesh-console.io/error-code` (default 500). Only that
 * Deployment's pods change, so a canary can fail while its stable version stays healthy. A value
 * that is not a share between 0 and 1 is ignored, as a mistyped annotation should not stop the demo.
 */
import type { Workload } from "./mesh";

export const ERROR_RATE_ANNOTATION = "demo.mesh-console.io/error-rate";
export const ERROR_CODE_ANNOTATION = "demo.mesh-console.io/error-code";

export interface InjectedErrors {
  rate: number;
  code: number;
}

/** The errors a pod template's annotations ask for, or undefined when none (or a malformed value). */
export function injectedErrorsOf(annotations: Readonly<Record<string, string>> | undefined): InjectedErrors | undefined {
  const rateText = annotations?.[ERROR_RATE_ANNOTATION]?.trim();
  if (!rateText || !/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(rateText)) return undefined;
  const rate = Number(rateText);
  if (rate <= 0) return undefined;
  const codeText = annotations?.[ERROR_CODE_ANNOTATION]?.trim() ?? "500";
  const code = /^[45]\d\d$/.test(codeText) ? Number(codeText) : 500;
  return { rate, code };
}

/**
 * A behaviour with the workload's injected errors added: the app's own failures and the injected
 * ones are independent, so the combined share is 1 − (1 − own)(1 − injected).
 */
export function withInjectedErrors<B extends { errorRate: number; errorCode: number }>(behaviour: B, workload: Pick<Workload, "podAnnotations">): B {
  const injected = injectedErrorsOf(workload.podAnnotations);
  if (!injected) return behaviour;
  return { ...behaviour, errorRate: 1 - (1 - behaviour.errorRate) * (1 - injected.rate), errorCode: injected.code };
}
