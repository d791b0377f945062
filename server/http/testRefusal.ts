/**
 * For tests only: what the person would see when a change is refused, the HTTP status and message
 * errorResponse (./errors.ts) answers the route with.
 */
import { errorResponse } from "./errors";

export async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = await promise.then(
    () => {
      throw new Error("expected the change to be refused");
    },
    (failure: unknown) => failure,
  );
  const response = errorResponse(error);
  const body = (await response.json()) as { error: { message: string } };
  return { status: response.status, message: body.error.message };
}
