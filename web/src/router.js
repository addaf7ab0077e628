import { createRouter, createWebHistory } from 'vue-router'
import { setUnauthorizedHandler } from './api.js'
import { forget, homeFor, isAdmin, isFieldOnly, loadMe, session } from './session.js'

const routes = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('./layouts/DeskLayout.vue'),
    meta: { desk: true },
    children: [
      { path: '', name: 'home', component: () => import('./pages/HomePage.vue') },
      { path: 'regions', name: 'regions', component: () => import('./pages/RegionsPage.vue') },
      { path: 'users', name: 'users', component: () => import('./pages/UsersPage.vue'), meta: { admin: true } },
      { path: 'audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { admin: true } },
      { path: 'tokens', name: 'tokens', component: () => import('./pages/TokensPage.vue'), meta: { admin: true } },
    ],
  },
  {
    path: '/m',
    component: () => import('./layouts/PhoneLayout.vue'),
    children: [
      { path: '', name: 'm-home', component: () => import('./pages/PhoneHomePage.vue') },
      { path: 'me', name: 'm-me', component: () => import('./pages/PhoneMePage.vue') },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try {
      await loadMe()
    } catch {
      session.user = null
    }
  }
  const user = session.user
  if (to.meta.public) return user && to.name === 'login' ? homeFor(user) : true
  if (!user) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  if (to.matched.some((r) => r.meta.desk) && isFieldOnly(user)) return '/m'
  if (to.meta.admin && !isAdmin(user)) return '/'
  return true
})

// Any API call answered 401 (session expired or signed out elsewhere) → sign-in page.
setUnauthorizedHandler(() => {
  forget()
  const here = router.currentRoute.value
  if (here.name !== 'login') router.push({ name: 'login', query: { next: here.fullPath } })
})
