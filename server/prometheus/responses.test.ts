import { describe, expect, it } from "vitest";
import { parseQueryData, queryDataSchema } from "./responses";

const sample = { metric: { destination_service_name: "reviews", reporter: "source" }, value: [1_765_000_000, "12.5"] };

const documents: [string, unknown][] = [
  ["a vector", { resultType: "vector", result: [sample, { metric: {}, value: [1, "NaN"] }] }],
  ["an empty vector", { resultType: "vector", result: [] }],
  ["a matrix", { resultType: "matrix", result: [{ metric: { job: "x" }, values: [[1, "1"], [16, "+Inf"]] }] }],
  ["a scalar", { resultType: "scalar", result: [1, "3"] }],
  ["a string", { resultType: "string", result: [1, "text"] }],
  ["a label value that is a number", { resultType: "vector", result: [{ metric: { code: 200 }, value: [1, "1"] }] }],
  ["a sample value that is a number", { resultType: "vector", result: [{ metric: {}, value: [1, 1] }] }],
  ["a timestamp that is a string", { resultType: "vector", result: [{ metric: {}, value: ["1", "1"] }] }],
  ["a timestamp that is not finite", { resultType: "vector", result: [{ metric: {}, value: [Infinity, "1"] }] }],
  ["a value pair with a third element", { resultType: "vector", result: [{ metric: {}, value: [1, "1", "x"] }] }],
  ["metric missing", { resultType: "vector", result: [{ value: [1, "1"] }] }],
  ["metric an array", { resultType: "vector", result: [{ metric: ["a"], value: [1, "1"] }] }],
  ["a native histogram sample (no value)", { resultType: "vector", result: [{ metric: {}, histogram: [1, { count: "1" }] }] }],
  ["a sample that is null", { resultType: "vector", result: [null] }],
  ["a vector result that is an object", { resultType: "vector", result: {} }],
  ["a matrix series with a bad point", { resultType: "matrix", result: [{ metric: {}, values: [[1, "1"], [2, 2]] }] }],
  ["a matrix series without values", { resultType: "matrix", result: [{ metric: {} }] }],
  ["an unknown result type", { resultType: "table", result: [] }],
  ["no result type", { result: [] }],
  ["null", null],
  ["an array", [sample]],
];

describe("parseQueryData", () => {
  it.each(documents)("answers as the schema does for %s", (_name, document) => {
    const bySchema = queryDataSchema.safeParse(document);
    const parsed = parseQueryData(document);
    expect(parsed !== null).toBe(bySchema.success);
    if (bySchema.success) expect(parsed).toEqual(bySchema.data);
  });

  it("hands back the samples it was given, without copying them", () => {
    const result = [sample];
    const parsed = parseQueryData({ resultType: "vector", result });
    expect(parsed?.result).toBe(result);
  });
});
