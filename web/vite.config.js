import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The built UI is served by `jiceng serve --web-root web/dist`; during development
// `npm run dev` forwards API calls to a local server (JICENG_URL, default :18080).
// The list of built files the service worker (public/sw.js) caches when it installs, so every
// page of the phone app opens without a network, also one not visited yet.
const precacheList = {
  name: 'jiceng-precache-list',
  generateBundle(_, bundle) {
    const files = Object.keys(bundle)
      .filter((f) => /\.(js|css|svg|png|woff2?)$/.test(f))
      .map((f) => `/${f}`)
    this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files) })
  },
}

export default defineConfig({
  base: '/',
  plugins: [vue(), precacheList],
  server: {
    proxy: {
      '/api': process.env.JICENG_URL || 'http://127.0.0.1:18080',
      '/healthz': process.env.JICENG_URL || 'http://127.0.0.1:18080',
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'element-plus',
              test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@vueuse|async-validator|dayjs|lodash|lodash-es|lodash-unified|memoize-one|normalize-wheel-es|@ctrl)[\\/]/,
              priority: 20,
            },
            { name: 'vant', test: /node_modules[\\/](vant|@vant)[\\/]/, priority: 20 },
            { name: 'vue', test: /node_modules[\\/](vue|vue-router|@vue)[\\/]/, priority: 30 },
          ],
        },
      },
    },
  },
})
