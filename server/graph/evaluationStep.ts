/** Granularity of a live graph's evaluation time; the shortest refresh interval the console offers. */
export const EVALUATION_STEP_SECONDS = 5;
