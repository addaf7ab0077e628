// ESLint (flat config): the recommended JavaScript and Vue 3 rules. Layout is Prettier's alone:
// eslint-config-prettier, last, turns off the rules that would argue with it.
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import prettier from 'eslint-config-prettier'

export default [
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.{js,mjs,vue}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser },
    },
    rules: {
      // Pages are named by their folder and file (pages/desk/cases/CasesPage.vue), not by a
      // multi-word component name.
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['vite.config.js', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
]
