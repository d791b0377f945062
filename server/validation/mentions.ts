/**
 * Findings that name other objects ("also defined by mesh VirtualService other/reviews") keep those
 * objects apart from the words around them, so the console can withhold the names a person may not
 * read without editing free text: a rule writes its message with `message\`…${mention(noun, refs)}…\``,
 * the finding carries the named objects in `related`, and `renderMessage` renders the words again
 * with each object either named or withheld (redaction.ts decides which).
 */
import { qualifiedName, type Finding, type ObjectRef } from "@/lib/validation/finding";

/** Objects of one kind named in a message, and the noun that introduces them ("mesh VirtualService"). */
export interface Mention {
  readonly noun: string;
  readonly objects: readonly ObjectRef[];
}

export type MessagePart = string | Mention;

/** A message as words and mentions; rendered with every name, it is the finding's `message`. */
export interface MessageTemplate {
  readonly parts: readonly MessagePart[];
}

/** A finding and the other objects its message names, in the order the message names them. */
export type FindingWithRelated = Finding & { readonly related?: readonly ObjectRef[] };

function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

function uniqueRefs(refs: readonly ObjectRef[]): ObjectRef[] {
  const byKey = new Map<string, ObjectRef>();
  for (const ref of refs) if (!byKey.has(refKey(ref))) byKey.set(refKey(ref), { kind: ref.kind, namespace: ref.namespace, name: ref.name });
  return [...byKey.values()];
}

/** `noun` and the objects, sorted by `namespace/name` as the messages have always listed them. */
export function mention(noun: string, objects: readonly ObjectRef[]): Mention {
  const sorted = uniqueRefs(objects).sort((a, b) => (qualifiedName(a) < qualifiedName(b) ? -1 : qualifiedName(a) > qualifiedName(b) ? 1 : 0));
  return { noun, objects: sorted };
}

function isMention(value: unknown): value is Mention {
  return typeof value === "object" && value !== null && "noun" in value && "objects" in value;
}

/** Tagged template for finding messages: interpolated mentions stay structured, anything else becomes text. */
export function message(strings: TemplateStringsArray, ...values: readonly (string | number | Mention)[]): MessageTemplate {
  const parts: MessagePart[] = [];
  strings.forEach((text, index) => {
    const value = values[index];
    const words = `${text}${index < values.length && !isMention(value) ? String(value) : ""}`;
    const last = parts.at(-1);
    if (typeof last === "string") parts[parts.length - 1] = `${last}${words}`;
    else if (words) parts.push(words);
    if (isMention(value)) parts.push(value);
  });
  return { parts };
}

function indefinite(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function plural(noun: string): string {
  return noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`;
}

/**
 * One mention in words: `noun a/x, b/y` when every object may be read; otherwise the readable ones
 * by name and the others only counted, e.g. "a mesh VirtualService in a namespace you may not read"
 * or "mesh VirtualService a/x and 2 more in namespaces you may not read".
 */
export function renderMention(part: Mention, mayRead: (ref: ObjectRef) => boolean): string {
  const named = part.objects.filter(mayRead).map(qualifiedName);
  const withheld = part.objects.length - named.length;
  if (withheld === 0) return `${part.noun} ${named.join(", ")}`;
  const where = withheld === 1 ? "a namespace you may not read" : "namespaces you may not read";
  if (named.length === 0) return withheld === 1 ? `${indefinite(part.noun)} in ${where}` : `${withheld} ${plural(part.noun)} in ${where}`;
  return `${part.noun} ${named.join(", ")} and ${withheld === 1 ? "one more" : `${withheld} more`} in ${where}`;
}

export function renderMessage(template: MessageTemplate, mayRead: (ref: ObjectRef) => boolean): string {
  return template.parts.map((part) => (typeof part === "string" ? part : renderMention(part, mayRead))).join("");
}

/** Every object the template names, once each, in order. */
export function mentionedObjects(template: MessageTemplate): ObjectRef[] {
  return uniqueRefs(template.parts.flatMap((part) => (typeof part === "string" ? [] : part.objects)));
}

/**
 * The template each finding was rendered from. Kept beside the finding rather than in it, so
 * findings stay plain data (the CLI prints them as JSON, the index sorts and filters them) and
 * the template never reaches a response; a finding copied without it is redacted as a whole
 * (redaction.ts), which fails closed.
 */
const templates = new WeakMap<Finding, MessageTemplate>();

export function rememberTemplate(finding: Finding, template: MessageTemplate): void {
  templates.set(finding, template);
}

export function templateOf(finding: Finding): MessageTemplate | undefined {
  return templates.get(finding);
}

export function relatedOf(finding: Finding): readonly ObjectRef[] {
  return (finding as FindingWithRelated).related ?? [];
}
