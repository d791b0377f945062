/** Why a Prometheus call failed, worded for the person looking at the console. */

export type PrometheusFailure = "timeout" | "unreachable" | "http" | "query" | "invalid-response";

export class PrometheusError extends Error {
  constructor(
    readonly failure: PrometheusFailure,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "PrometheusError";
  }

  /** The status the console answers with: 504 when Prometheus was too slow, 502 otherwise. */
  get consoleStatus(): number {
    return this.failure === "timeout" ? 504 : this.failure === "query" ? 422 : 502;
  }
}
