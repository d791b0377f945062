import { describe, expect, it } from "vitest";
import { compileRule, escapePropertyName, RuleCompileError } from "./cel";

const evaluate = (rule: string, self: unknown, oldSelf?: unknown) => compileRule({ rule }).evaluate(self as never, oldSelf as never);

describe("CEL rules of CRDs", () => {
  it("evaluates the standard macros and string functions the Gateway API rules use", () => {
    const listeners = [new Map<string, unknown>([["name", "http"], ["port", 80n]]), new Map<string, unknown>([["name", "http"], ["port", 8080n]])];
    expect(evaluate("self.all(l1, self.exists_one(l2, l1.name == l2.name))", listeners)).toBe(false);
    expect(evaluate("self.all(l1, self.exists_one(l2, l1.name == l2.name))", listeners.slice(0, 1))).toBe(true);
    expect(evaluate("self.filter(f, f.port > 100).size() <= 1", listeners)).toBe(true);
    expect(evaluate("self.all(key, key.split('/')[0].size() < 253)", ["example.com/team"])).toBe(true);
    expect(evaluate("self.startsWith('*.') && self.substring(2).matches('^[a-z.]+$')", "*.example.com")).toBe(true);
    expect(evaluate("'*' in self && self.size() > 1", ["*", "GET"])).toBe(true);
  });

  it("treats an absent field as absent for has(), as for an object without it", () => {
    expect(evaluate("has(self.port)", new Map([["name", "web"]]))).toBe(false);
    expect(evaluate("(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true", new Map([["group", ""], ["kind", "Service"]]))).toBe(false);
  });

  it("compares durations as the timeouts rule does", () => {
    const rule = "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))";
    expect(evaluate(rule, new Map([["request", "1s"], ["backendRequest", "2s"]]))).toBe(false);
    expect(evaluate(rule, new Map([["request", "10s"], ["backendRequest", "2s"]]))).toBe(true);
    expect(evaluate(rule, new Map([["request", "0s"], ["backendRequest", "2s"]]))).toBe(true);
  });

  it("adds Kubernetes' isIP, isCIDR and isURL", () => {
    const check = (rule: string, values: string[]) => values.map((value) => evaluate(rule, value));
    expect(check("isIP(self)", ["shop.example.com", "10.0.0.1", "fd00::1", "010.0.0.1"])).toEqual([false, true, true, false]);
    expect(evaluate("self.all(h, !isIP(h))", ["shop.example.com", "10.0.0.1"])).toBe(false);
    expect(check("isCIDR(self)", ["10.0.0.0/8", "10.0.0.0/33", "10.0.0.1"])).toEqual([true, false, false]);
    expect(check("isURL(self)", ["https://example.com/a", "not a url"])).toEqual([true, false]);
  });

  it("accepts Go's case-insensitive flag in matches(), as the GRPCRoute service rule writes it", () => {
    expect(evaluate(String.raw`self.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$""")`, "Inventory.V1")).toBe(true);
    expect(evaluate(String.raw`self.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$""")`, "in-ventory")).toBe(false);
  });

  it("marks rules naming oldSelf as transition rules and gives them the previous value", () => {
    const rule = compileRule({ rule: "self == oldSelf", message: "Value is immutable" });
    expect(rule.transition).toBe(true);
    expect(rule.evaluate("istio.io/gateway-controller" as never, "istio.io/gateway-controller" as never)).toBe(true);
    expect(rule.evaluate("other" as never, "istio.io/gateway-controller" as never)).toBe(false);
    expect(compileRule({ rule: "self.size() > 0" }).transition).toBe(false);
  });

  it("words the failure with messageExpression, falling back to message when it gives nothing", () => {
    expect(compileRule({ rule: "false", message: "fixed", messageExpression: "'port ' + string(self.port) + ' is taken'" }).message(new Map([["port", 80n]]) as never, undefined)).toBe("port 80 is taken");
    expect(compileRule({ rule: "false", message: "fixed", messageExpression: "''" }).message(new Map() as never, undefined)).toBe("fixed");
  });

  it("refuses a rule that does not parse or calls a function it does not know, when compiled", () => {
    expect(() => compileRule({ rule: "self.(" })).toThrow(RuleCompileError);
    expect(() => compileRule({ rule: "self.all(h, !isHostname(h))" })).toThrow(/undeclared reference to 'isHostname'/);
  });

  it("escapes property names as Kubernetes does, so namespace is __namespace__", () => {
    expect(escapePropertyName("namespace")).toBe("__namespace__");
    expect(escapePropertyName("x-kubernetes.io/name")).toBe("x__dash__kubernetes__dot__io__slash__name");
    expect(escapePropertyName("a__b")).toBe("a__underscores__b");
    expect(escapePropertyName("port")).toBe("port");
  });
});
