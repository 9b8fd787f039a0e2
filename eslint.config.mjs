// Flat config: TypeScript-aware rules for the whole program, tests and policies.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The concerns under infra/, each one folder of the same shape: spec.ts (its input types), builders
// (pure functions, one file or a builders/ folder), component.ts (the ComponentResource) and index.ts
// (the public surface). A concern may import the catalogue and its own folder, nothing of another
// concern; the catalogue imports no concern. What two concerns share is a catalogue fact
// (ARCHITECTURE.md, "the catalogue is the only thing concerns share").
const CONCERNS = [
  "addons/argo-rollouts",
  "addons/cert-manager",
  "addons/kube-prometheus-stack",
  "addons/log-shipper",
  "addons/loki",
  "api-key",
  "delivery",
  "deployer",
  "environment",
  "governance",
  "ingress",
  "observability",
  "registry",
];
// A relative import that reaches into a concern's folder, from wherever it is written
// (`../delivery/spec`, `../../addons/argo-rollouts`, `../kube-prometheus-stack/builders`). Matching
// relative specifiers only keeps packages such as `@kubernetes-models/argo-rollouts` out of it.
const importOf = (concern) => `^\\.\\.?/(.*/)?${concern.split("/").pop()}(/|$)`;
const boundary = (files, forbidden) => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          ...forbidden.map((other) => ({
            regex: importOf(other),
            message: `infra concerns share only the catalogue: ${other} is another concern; move the shared fact to infra/catalogue/`,
          })),
          { group: ["**/stacks/**", "**/test/**", "**/policies/**"], message: "infra/ is the product: it imports neither the edge, the tests nor the policy pack" },
        ],
      },
    ],
  },
});
const concernBoundaries = [
  ...CONCERNS.map((concern) => boundary([`infra/${concern}/**/*.ts`], CONCERNS.filter((c) => c !== concern))),
  boundary(["infra/catalogue/**/*.ts"], CONCERNS),
];

export default tseslint.config(
  { ignores: ["node_modules/**", "out/**", "bin/**", "bench/results.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
    },
  },
  ...concernBoundaries,
);
