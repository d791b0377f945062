import { describe, expect, it } from "vitest";
import { appendLines, compareTimestamps, EMPTY_LOG, findMatches, followSinceSeconds, logAsText, newLinesOf, splitLogText, type LogLine } from "./logLines";

const line = (timestamp: string | null, text: string): LogLine => ({ timestamp, text });

describe("splitLogText", () => {
  it("takes Kubernetes' timestamp prefix off each line", () => {
    expect(splitLogText("2026-12-07T03:10:11.123456789Z hello world\n2026-12-07T03:10:12Z [x] y\n")).toEqual([line("2026-12-07T03:10:11.123456789Z", "hello world"), line("2026-12-07T03:10:12Z", "[x] y")]);
  });

  it("keeps lines without a prefix, a final line cut short, and carriage returns out", () => {
    expect(splitLogText("plain\r\ncut sho")).toEqual([line(null, "plain"), line(null, "cut sho")]);
    expect(splitLogText("")).toEqual([]);
  });
});

describe("newLinesOf", () => {
  const shown = [line("2026-12-07T03:10:10.1Z", "a"), line("2026-12-07T03:10:11.5Z", "b"), line("2026-12-07T03:10:11.5Z", "b")];

  it.each<{ name: string; batch: LogLine[]; lines: string[]; gap: boolean }>([
    { name: "drops what was shown and keeps what is new", batch: [line("2026-12-07T03:10:10.1Z", "a"), line("2026-12-07T03:10:11.5Z", "b"), line("2026-12-07T03:10:11.5Z", "b"), line("2026-12-07T03:10:12Z", "c")], lines: ["c"], gap: false },
    { name: "keeps a third identical line in the same instant", batch: [line("2026-12-07T03:10:11.5Z", "b"), line("2026-12-07T03:10:11.5Z", "b"), line("2026-12-07T03:10:11.5Z", "b")], lines: ["b"], gap: false },
    { name: "nothing new", batch: [line("2026-12-07T03:10:11.5Z", "b"), line("2026-12-07T03:10:11.5Z", "b")], lines: [], gap: false },
    { name: "a batch cut by tailLines after the last shown line is a gap", batch: [line("2026-12-07T03:10:20Z", "x")], lines: ["x"], gap: true },
  ])("with timestamps: $name", ({ batch, lines, gap }) => {
    const result = newLinesOf(shown, batch);
    expect(result.lines.map((item) => item.text)).toEqual(lines);
    expect(result.gap).toBe(gap);
  });

  it.each<{ name: string; previous: string[]; batch: string[]; lines: string[]; gap: boolean }>([
    { name: "overlap at the end", previous: ["a", "b", "c"], batch: ["b", "c", "d"], lines: ["d"], gap: false },
    { name: "repeated lines take the longest overlap", previous: ["x", "x"], batch: ["x", "x", "y"], lines: ["y"], gap: false },
    { name: "no overlap", previous: ["a"], batch: ["q", "r"], lines: ["q", "r"], gap: true },
    { name: "nothing shown yet", previous: [], batch: ["a"], lines: ["a"], gap: false },
  ])("without timestamps: $name", ({ previous, batch, lines, gap }) => {
    const result = newLinesOf(
      previous.map((text) => line(null, text)),
      batch.map((text) => line(null, text)),
    );
    expect(result.lines.map((item) => item.text)).toEqual(lines);
    expect(result.gap).toBe(gap);
  });
});

describe("compareTimestamps", () => {
  it.each([
    ["2026-12-07T03:10:11.000000001Z", "2026-12-07T03:10:11.000000002Z", -1],
    ["2026-12-07T03:10:11.5Z", "2026-12-07T03:10:11.500000000Z", 0],
    ["2026-12-07T03:10:12Z", "2026-12-07T03:10:11.999Z", 1],
  ])("%s vs %s", (a, b, sign) => {
    expect(Math.sign(compareTimestamps(a, b))).toBe(sign);
  });
});

describe("appendLines", () => {
  it("parses access-log lines once and drops the oldest beyond the bound, counting them", () => {
    let log = appendLines(EMPTY_LOG, [line(null, "one"), line(null, "two")], 3);
    log = appendLines(log, [line(null, '[2026-12-07T03:10:12.000Z] "GET / HTTP/1.1" 503 FI fault_filter_abort - "-" 0 18 0 - "-" "ua" "id" "r:9080" "-" outbound|9080||r.ns.svc.cluster.local - - - - -'), line(null, "four")], 3);
    expect(log.lines.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(log.dropped).toBe(1);
    expect(log.lines[1]?.accessLog?.responseFlags).toEqual(["FI"]);
    expect(log.lines[0]?.accessLog).toBeNull();
  });
});

describe("followSinceSeconds", () => {
  it("asks for the time since the last line plus slack, in whole seconds", () => {
    expect(followSinceSeconds("2026-12-07T03:10:10.000Z", Date.parse("2026-12-07T03:10:14.200Z"), 300)).toBe(7);
    expect(followSinceSeconds(null, 0, 300)).toBe(300);
    expect(followSinceSeconds("not a time", 0, 60)).toBe(60);
  });
});

describe("findMatches", () => {
  it("finds every match without case", () => {
    expect(findMatches("GET /Ratings ratings", "ratings")).toEqual([
      [5, 12],
      [13, 20],
    ]);
    expect(findMatches("abc", "")).toEqual([]);
  });
});

describe("logAsText", () => {
  it("writes lines as Kubernetes gave them", () => {
    expect(logAsText([line("2026-12-07T03:10:11Z", "a"), line(null, "b")])).toBe("2026-12-07T03:10:11Z a\nb\n");
  });
});
