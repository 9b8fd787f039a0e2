// Flat config: TypeScript-aware rules for the whole program, tests and policies.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The concerns under infra/: each may import the catalogue and its own folder, nothing of another
// concern. What two concerns share is a catalogue fact (ARCHITECTURE.md, "the catalogue is the
// only thing concerns share").
const CONCERNS = ["addons", "delivery", "deployer", "environment", "github", "observability"];
const concernBoundaries = CONCERNS.map((concern) => ({
  files: [`infra/${concern}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: CONCERNS.filter((c) => c !== concern).flatMap((other) => [`**/${other}`, `**/${other}/**`]),
            message: "infra concerns share only the catalogue: move the shared fact to infra/catalogue/",
          },
          { group: ["**/stacks/**", "**/test/**", "**/policies/**"], message: "infra/ is the product: it imports neither the edge, the tests nor the policy pack" },
        ],
      },
    ],
  },
}));

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
