/**
 * Where a field of an object sits in its YAML text, so findings and API errors can be marked on
 * the line a person edits. Field paths are Kubernetes-style: `spec.http[0].route[1].destination.subset`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/** `spec.http[0].route` → ["spec", "http", 0, "route"]. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    segments.push(part.startsWith("[") ? Number(part.slice(1, -1)) : part);
  }
  return segments;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

/**
 * The 1-based line of the field, or of its nearest existing parent when the field itself is
 * missing (a required value not written yet); undefined when the text is not YAML or the path is empty.
 */
export function lineOfPath(text: string, path: string): number | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  if (document.errors.length > 0) return undefined;
  const segments = pathSegments(path);
  if (segments.length === 0) return undefined;
  let node: Node | null | undefined = document.contents as Node | null;
  let offset: number | undefined;
  for (let index = 0; index < segments.length && node; index += 1) {
    const segment = segments[index]!;
    if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) break;
      offset = item.range[0];
      node = item;
    } else if (isMap(node)) {
      // Keys may hold dots (`sidecar.istio.io/inject`): try the longest run of segments that names a key.
      const map = node;
      let found = false;
      for (let end = segments.length; end > index && !found; end -= 1) {
        const candidate = segments.slice(index, end).join(".");
        const pair = map.items.find((item) => keyText(item.key) === candidate);
        if (!pair) continue;
        const keyNode = pair.key as Node | undefined;
        offset = keyNode?.range?.[0] ?? offset;
        node = pair.value as Node | null;
        index = end - 1;
        found = true;
      }
      if (!found) break;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

export type YamlTokenKind = "key" | "string" | "number" | "literal" | "comment" | "punctuation" | "plain";
export interface YamlToken {
  readonly text: string;
  readonly kind: YamlTokenKind;
}

function valueKind(value: string): YamlTokenKind {
  const trimmed = value.trim();
  if (/^(['"]).*\1$/.test(trimmed)) return "string";
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return "number";
  if (/^(true|false|null|~)$/.test(trimmed)) return "literal";
  return "string";
}

/** Light highlighting of one line: keys, scalars and comments; enough to read, not a YAML parser. */
export function highlightLine(line: string): YamlToken[] {
  const tokens: YamlToken[] = [];
  const comment = line.match(/^(.*?)(\s#.*|^#.*)$/);
  const body = comment ? comment[1]! : line;
  const match = body.match(/^(\s*(?:-\s+)*)([^\s:#'"][^:#]*?|"[^"]*"|'[^']*')(:)(\s.*|$)/);
  if (match) {
    tokens.push({ text: match[1]!, kind: "punctuation" }, { text: match[2]!, kind: "key" }, { text: match[3]!, kind: "punctuation" });
    if (match[4]) {
      const leading = match[4].match(/^\s*/)?.[0] ?? "";
      tokens.push({ text: leading, kind: "plain" });
      const rest = match[4].slice(leading.length);
      if (rest) tokens.push({ text: rest, kind: valueKind(rest) });
    }
  } else {
    const item = body.match(/^(\s*-\s+)(.*)$/);
    if (item) tokens.push({ text: item[1]!, kind: "punctuation" }, { text: item[2]!, kind: item[2] ? valueKind(item[2]) : "plain" });
    else tokens.push({ text: body, kind: "plain" });
  }
  if (comment) tokens.push({ text: comment[2]!, kind: "comment" });
  return tokens.filter((token) => token.text.length > 0);
}
