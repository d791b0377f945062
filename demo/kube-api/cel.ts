/**
 * CEL validation rules of CustomResourceDefinitions (`x-kubernetes-validations`), evaluated with
 * `@bufbuild/cel` the way kube-apiserver evaluates them: `self` is the value of the schema node the
 * rule sits on, `oldSelf` its previous value on updates (a rule that names `oldSelf` is a
 * transition rule and runs only when there is one), integers are CEL ints, objects are maps whose
 * property names are escaped as Kubernetes escapes them, and the Kubernetes CEL libraries' functions
 * the Gateway API CRDs call are added to the standard ones.
 * https://kubernetes.io/docs/reference/using-api/cel/
 */
import { isIP } from "node:net";
import { celEnv, celFunc, CelScalar, isCelError, parse, plan, type CelEnv, type CelInput, type CelValue } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/** One entry of `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** Kubernetes' IP and URL library (k8s.io/apiserver/pkg/cel/library), as far as boolean checks go. */
function isKubernetesIP(value: string): boolean {
  // Kubernetes refuses IPv4 with leading zeros and IPv6 with a zone, as Node's parser does too.
  return isIP(value) !== 0 && !value.includes("%");
}

function isKubernetesCIDR(value: string): boolean {
  const slash = value.indexOf("/");
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function isKubernetesURL(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

const KUBERNETES_FUNCTIONS = [
  celFunc("isIP", [CelScalar.STRING], CelScalar.BOOL, isKubernetesIP),
  celFunc("isCIDR", [CelScalar.STRING], CelScalar.BOOL, isKubernetesCIDR),
  celFunc("isURL", [CelScalar.STRING], CelScalar.BOOL, isKubernetesURL),
];

const VARIABLES = { self: CelScalar.DYN, oldSelf: CelScalar.DYN } as const;
type RuleEnv = CelEnv<typeof VARIABLES>;

let sharedEnv: RuleEnv | undefined;
function ruleEnv(): RuleEnv {
  sharedEnv ??= celEnv({ funcs: [...strings, ...KUBERNETES_FUNCTIONS], variables: VARIABLES });
  return sharedEnv;
}

/** Calls the planner handles itself rather than through the function table. */
const SPECIAL_FORMS = new Set(["_&&_", "_||_", "_?_:_", "_[_]", "@not_strictly_false", "@in"]);

interface AstNode {
  exprKind?: { case?: string; value?: unknown };
}

/** Every function a parsed expression calls, so an unknown one fails when the rule is compiled, not when it first runs. */
function calledFunctions(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) calledFunctions(item, found);
    return found;
  }
  if (typeof node !== "object" || node === null) return found;
  const kind = (node as AstNode).exprKind;
  if (kind?.case === "callExpr" && typeof kind.value === "object" && kind.value !== null && "function" in kind.value) {
    found.add(String(kind.value.function));
  }
  for (const value of Object.values(node)) if (typeof value === "object" && value !== null) calledFunctions(value, found);
  return found;
}

export class RuleCompileError extends Error {}

export interface CompiledRule {
  source: ValidationRule;
  /** Names `oldSelf`: evaluated on updates only. */
  transition: boolean;
  evaluate(self: CelInput, oldSelf: CelInput | undefined): CelValue | Error;
  message(self: CelInput, oldSelf: CelInput | undefined): string | undefined;
}

function compileExpression(source: string): (self: CelInput, oldSelf: CelInput | undefined) => CelValue | Error {
  let parsed;
  try {
    parsed = parse(source);
  } catch (error) {
    throw new RuleCompileError(`compilation failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const env = ruleEnv();
  for (const name of calledFunctions(parsed.expr, new Set())) {
    if (!SPECIAL_FORMS.has(name) && !env.funcs.find(name)) throw new RuleCompileError(`compilation failed: undeclared reference to '${name}'`);
  }
  const run = plan(env, parsed);
  return (self, oldSelf) => {
    try {
      const result = run({ self, oldSelf: oldSelf ?? null });
      return isCelError(result) ? new Error(result.message) : result;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
}

/** CRDs repeat rules (every route kind has the same path rules), and a CRD is compiled when written and when served. */
const compiledBySource = new Map<string, CompiledRule>();

/** Compiles one rule; throws RuleCompileError for a rule that does not parse or calls an unknown function. */
export function compileRule(source: ValidationRule): CompiledRule {
  const key = JSON.stringify([source.rule, source.message, source.messageExpression, source.reason, source.fieldPath, source.optionalOldSelf]);
  let compiled = compiledBySource.get(key);
  if (!compiled) {
    compiled = compileUncached(source);
    compiledBySource.set(key, compiled);
  }
  return compiled;
}

function compileUncached(source: ValidationRule): CompiledRule {
  const evaluate = compileExpression(source.rule);
  const messageExpression = source.messageExpression ? compileExpression(source.messageExpression) : undefined;
  return {
    source,
    transition: /\boldSelf\b/.test(source.rule),
    evaluate,
    message: (self, oldSelf) => {
      if (!messageExpression) return source.message;
      const value = messageExpression(self, oldSelf);
      // A messageExpression that fails or gives no text falls back to message, as kube-apiserver does.
      return typeof value === "string" && value.trim() ? value : source.message;
    },
  };
}

const RESERVED = new Set([
  "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
  "package", "namespace", "return", "var", "void", "while",
]);

/**
 * A property name as CEL sees it: reserved words become `__word__`, and `__`, `.`, `-` and `/`
 * are spelled out (https://kubernetes.io/docs/reference/using-api/cel/#escaping).
 */
export function escapePropertyName(name: string): string {
  if (RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__/g, "__underscores__").replace(/\./g, "__dot__").replace(/-/g, "__dash__").replace(/\//g, "__slash__");
}
