import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import Vant from 'vant'
import 'vant/lib/index.css'
import App from './App.vue'
import { router } from './router.js'
import { t } from './i18n.js'
import './style.css'

const app = createApp(App)
app.config.globalProperties.$t = t
app.use(ElementPlus).use(Vant).use(router).mount('#app')

// The installable phone app (PWA): the app shell is cached by public/sw.js.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}))
}
