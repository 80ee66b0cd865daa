// ESLint for the field app (static/js, ES modules in the browser) and its node unit tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser } },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
      "no-var": "error",
      "prefer-const": "error",
      // Text goes in through textContent only (STYLE.md, "The browser side").
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Set text with textContent (ui.el)." },
        { property: "outerHTML", message: "Set text with textContent (ui.el)." },
      ],
    },
  },
  {
    // Classic scripts, loaded on every page (not modules).
    files: ["static/js/sw-register.js", "static/js/print.js", "static/js/sync-mark.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
