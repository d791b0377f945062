import coreWebVitals from "eslint-config-next/core-web-vitals";
import typescript from "eslint-config-next/typescript";

const config = [
  ...coreWebVitals,
  ...typescript,
  {
    ignores: [".next/**", ".next-*/**", ".demo/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // The browser bundle and the pure library must never pull in server-only or demo code.
    files: ["components/**/*.{ts,tsx}", "lib/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/server/*", "@/demo/*", "**/server/*", "**/demo/*"] }],
    },
  },
  {
    // The product never depends on the simulated mesh; only the demo, its tests and benchmarks do.
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/demo/*", "**/demo/*"] }],
    },
  },
  {
    // A cycle between modules means neither is the owner of what they share: move the shared part
    // into a leaf module both import. Tests are left out; they may import a module and its callers.
    files: ["server/**/*.ts", "lib/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Playwright fixtures call their continuation `use`, which is not React's hook.
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
