import { createRouter, createWebHistory } from 'vue-router'
import { setUnauthorizedHandler } from './api.js'
import { forget, homeFor, isAdmin, isFieldOnly, loadMe, session } from './session.js'

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./pages/desk/platform/LoginPage.vue'),
    meta: { public: true },
  },
  // Public progress lookup by tracking code (no account needed).
  {
    path: '/track/:code?',
    name: 'track',
    component: () => import('./pages/phone/cases/TrackPage.vue'),
    meta: { public: true },
  },
  // Public disclosure of a community's deliberation (公开), no account needed.
  {
    path: '/public/:code(\\d{12}|\\d{15})',
    name: 'disclosure',
    component: () => import('./pages/phone/deliberation/DisclosurePage.vue'),
    meta: { public: true },
  },
  // 户码注册: a household member signs up with the code staff handed over (no account yet).
  {
    path: '/signup',
    name: 'signup',
    component: () => import('./pages/phone/voice/SignupPage.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('./layouts/DeskLayout.vue'),
    meta: { desk: true },
    children: [
      { path: '', name: 'home', component: () => import('./pages/desk/platform/HomePage.vue') },
      { path: 'regions', name: 'regions', component: () => import('./pages/desk/platform/RegionsPage.vue') },
      { path: 'cases', name: 'cases', component: () => import('./pages/desk/cases/CasesPage.vue') },
      { path: 'cases/:id(\\d+)', name: 'case', component: () => import('./pages/desk/cases/CaseDetailPage.vue') },
      {
        path: 'responsibilities',
        name: 'rules',
        component: () => import('./pages/desk/cases/ResponsibilitiesPage.vue'),
      },
      // Base data (人、房、企), sweeps (扫楼) and group-rental rectification (群租房整治).
      { path: 'residents', name: 'residents', component: () => import('./pages/desk/base/ResidentsPage.vue') },
      { path: 'houses', name: 'houses', component: () => import('./pages/desk/base/HousesPage.vue') },
      {
        path: 'organisations',
        name: 'organisations',
        component: () => import('./pages/desk/base/OrganisationsPage.vue'),
      },
      { path: 'imports', name: 'imports', component: () => import('./pages/desk/base/ImportPage.vue') },
      { path: 'sweeps', name: 'sweeps', component: () => import('./pages/desk/base/SweepsPage.vue') },
      { path: 'sweeps/:id(\\d+)', name: 'sweep', component: () => import('./pages/desk/base/SweepProgressPage.vue') },
      {
        path: 'rectifications',
        name: 'rectifications',
        component: () => import('./pages/desk/base/RectificationsPage.vue'),
      },
      // Projects (民生实事, 老旧小区改造, 政府购买服务).
      {
        path: 'projects',
        name: 'projects',
        component: () => import('./pages/desk/projects/ProjectsPage.vue'),
        meta: { menu: '/projects' },
      },
      {
        path: 'projects/:id(\\d+)',
        name: 'project',
        component: () => import('./pages/desk/projects/ProjectsPage.vue'),
        meta: { menu: '/projects' },
      },
      // The command platform (指挥平台): campaigns on the board (挂图作战) and joint meetings.
      {
        path: 'campaigns',
        name: 'campaigns',
        component: () => import('./pages/desk/command/CampaignsPage.vue'),
        meta: { menu: '/campaigns' },
      },
      {
        path: 'campaigns/:id(\\d+)',
        name: 'campaign',
        component: () => import('./pages/desk/command/CampaignBoardPage.vue'),
        meta: { menu: '/campaigns' },
      },
      {
        path: 'meetings',
        name: 'meetings',
        component: () => import('./pages/desk/command/MeetingsPage.vue'),
        meta: { menu: '/meetings' },
      },
      {
        path: 'meetings/:id(\\d+)',
        name: 'meeting',
        component: () => import('./pages/desk/command/MeetingPage.vue'),
        meta: { menu: '/meetings' },
      },
      // Party building and pairing (党建引领, 结对共建); meta.menu lights the side-menu entry.
      {
        path: 'party/orgs/:id(\\d+)?',
        name: 'party-org',
        component: () => import('./pages/desk/party/OrgsPage.vue'),
        meta: { menu: '/party/orgs' },
      },
      {
        path: 'party/members',
        name: 'party-members',
        component: () => import('./pages/desk/party/MembersPage.vue'),
        meta: { menu: '/party/members' },
      },
      {
        path: 'party/members/:id(\\d+)',
        name: 'party-member',
        component: () => import('./pages/desk/party/MemberPage.vue'),
        meta: { menu: '/party/members' },
      },
      {
        path: 'party/centers',
        name: 'party-centers',
        component: () => import('./pages/desk/party/CentersPage.vue'),
        meta: { menu: '/party/centers' },
      },
      {
        path: 'party/report',
        name: 'party-report',
        component: () => import('./pages/desk/party/ReportPage.vue'),
        meta: { menu: '/party/report' },
      },
      {
        path: 'pairings',
        name: 'pairings',
        component: () => import('./pages/desk/party/PairingsPage.vue'),
        meta: { menu: '/pairings' },
      },
      {
        path: 'pairings/:id(\\d+)',
        name: 'pairing',
        component: () => import('./pages/desk/party/PairingBoardPage.vue'),
        meta: { menu: '/pairings' },
      },
      {
        path: 'cadres',
        name: 'cadres',
        component: () => import('./pages/desk/party/CadresPage.vue'),
        meta: { menu: '/cadres' },
      },
      {
        path: 'grid-teams',
        name: 'grid-teams',
        component: () => import('./pages/desk/party/GridTeamsPage.vue'),
        meta: { menu: '/grid-teams' },
      },
      // Volunteers (志愿服务) and field logs (民情走访, 巡查).
      {
        path: 'volunteers',
        name: 'volunteers',
        component: () => import('./pages/desk/volunteers/VolunteersPage.vue'),
        meta: { menu: '/volunteers' },
      },
      {
        path: 'field-logs',
        name: 'field-logs',
        component: () => import('./pages/desk/volunteers/FieldLogsPage.vue'),
        meta: { menu: '/field-logs' },
      },
      // Services (服务下沉): the catalogue (事项清单), online requests (在线办理), appointment
      // slots (预约) and care targets (情暖夕阳 · 关爱对象).
      {
        path: 'service-items',
        name: 'service-items',
        component: () => import('./pages/desk/services/ItemsPage.vue'),
        meta: { menu: '/service-items' },
      },
      {
        path: 'service-requests',
        name: 'service-requests',
        component: () => import('./pages/desk/services/RequestsPage.vue'),
        meta: { menu: '/service-requests' },
      },
      {
        path: 'service-slots',
        name: 'service-slots',
        component: () => import('./pages/desk/services/SlotsPage.vue'),
        meta: { menu: '/service-slots' },
      },
      {
        path: 'care-targets',
        name: 'care-targets',
        component: () => import('./pages/desk/services/CarePage.vue'),
        meta: { menu: '/care-targets' },
      },
      // Evaluation (考核评价): indicators per region and month, manual figures.
      {
        path: 'indicators',
        name: 'indicators',
        component: () => import('./pages/desk/evaluation/IndicatorsPage.vue'),
        meta: { menu: '/indicators' },
      },
      {
        path: 'rankings',
        name: 'rankings',
        component: () => import('./pages/desk/evaluation/RankingPage.vue'),
        meta: { menu: '/rankings' },
      },
      {
        path: 'ranking-schemes',
        name: 'ranking-schemes',
        component: () => import('./pages/desk/evaluation/SchemesPage.vue'),
        meta: { menu: '/ranking-schemes' },
      },
      {
        path: 'ranking-adjustments',
        name: 'ranking-adjustments',
        component: () => import('./pages/desk/evaluation/AdjustmentsPage.vue'),
        meta: { menu: '/ranking-adjustments' },
      },
      {
        path: 'worker-assessments',
        name: 'worker-assessments',
        component: () => import('./pages/desk/evaluation/WorkerAssessmentPage.vue'),
        meta: { menu: '/worker-assessments' },
      },
      {
        path: 'indicator-figures',
        name: 'indicator-figures',
        component: () => import('./pages/desk/evaluation/FiguresPage.vue'),
        meta: { menu: '/indicator-figures' },
      },
      // Callbacks (回访抽查) and satisfaction surveys (满意度测评).
      {
        path: 'callbacks',
        name: 'callbacks',
        component: () => import('./pages/desk/evaluation/CallbacksPage.vue'),
        meta: { menu: '/callbacks' },
      },
      {
        path: 'surveys',
        name: 'surveys',
        component: () => import('./pages/desk/evaluation/SurveysPage.vue'),
        meta: { menu: '/surveys' },
      },
      // The command platform (指挥平台): recurring problems (反复发生问题).
      {
        path: 'recurring',
        name: 'recurring',
        component: () => import('./pages/desk/command/RecurringPage.vue'),
        meta: { menu: '/recurring' },
      },
      // 社区资讯: announcements with their read counts.
      {
        path: 'announcements',
        name: 'announcements',
        component: () => import('./pages/desk/voice/AnnouncementsPage.vue'),
      },
      // 协商议事: the topics board and one topic's stages, meetings, ballot and works.
      {
        path: 'topics',
        name: 'topics',
        component: () => import('./pages/desk/deliberation/TopicsPage.vue'),
        meta: { menu: '/topics' },
      },
      {
        path: 'topics/:id(\\d+)',
        name: 'topic',
        component: () => import('./pages/desk/deliberation/TopicPage.vue'),
        meta: { menu: '/topics' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('./pages/desk/platform/UsersPage.vue'),
        meta: { admin: true },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('./pages/desk/platform/AuditPage.vue'),
        meta: { admin: true },
      },
      {
        path: 'tokens',
        name: 'tokens',
        component: () => import('./pages/desk/platform/TokensPage.vue'),
        meta: { admin: true },
      },
      {
        path: 'calendar',
        name: 'calendar',
        component: () => import('./pages/desk/platform/CalendarPage.vue'),
        meta: { admin: true },
      },
      {
        path: 'webhooks',
        name: 'webhooks',
        component: () => import('./pages/desk/platform/WebhooksPage.vue'),
        meta: { admin: true },
      },
    ],
  },
  {
    path: '/m',
    component: () => import('./layouts/PhoneLayout.vue'),
    children: [
      {
        path: '',
        name: 'm-home',
        component: () => import('./pages/phone/platform/HomePage.vue'),
        meta: { tab: 'home' },
      },
      {
        path: 'cases',
        name: 'm-cases',
        component: () => import('./pages/phone/cases/CasesPage.vue'),
        meta: { tab: 'cases', title: 'nav.caseTab' },
      },
      {
        path: 'cases/:id(\\d+)',
        name: 'm-case',
        component: () => import('./pages/phone/cases/CaseDetailPage.vue'),
        meta: { tab: 'cases', title: 'nav.caseDetail', backTo: '/m/cases' },
      },
      {
        path: 'report',
        name: 'm-report',
        component: () => import('./pages/phone/cases/ReportPage.vue'),
        meta: { tab: 'report', title: 'nav.reportCase' },
      },
      {
        path: 'sweeps',
        name: 'm-sweeps',
        component: () => import('./pages/phone/base/SweepPage.vue'),
        meta: { tab: 'sweep', title: 'base.nav.sweepTab' },
      },
      {
        path: 'sweeps/:id(\\d+)/houses/:house(\\d+)',
        name: 'm-sweep-visit',
        component: () => import('./pages/phone/base/SweepVisitPage.vue'),
        meta: { tab: 'sweep', title: 'base.nav.visit', backTo: '/m/sweeps' },
      },
      {
        path: 'reception',
        name: 'm-reception',
        component: () => import('./pages/phone/party/ReceptionPage.vue'),
        meta: { tab: 'home', title: 'party.nav.mReception', backTo: '/m' },
      },
      {
        path: 'pairings',
        name: 'm-pairings',
        component: () => import('./pages/phone/party/PairingsPage.vue'),
        meta: { tab: 'home', title: 'party.nav.mPairings', backTo: '/m' },
      },
      {
        path: 'volunteers',
        name: 'm-volunteers',
        component: () => import('./pages/phone/volunteers/VolunteerPage.vue'),
        meta: { tab: 'home', title: 'volunteer.mNav', backTo: '/m' },
      },
      {
        path: 'field-log',
        name: 'm-field-log',
        component: () => import('./pages/phone/volunteers/FieldLogPage.vue'),
        meta: { tab: 'home', title: 'fieldlog.mNav', backTo: '/m' },
      },
      {
        path: 'pairings/:id(\\d+)',
        name: 'm-pairing',
        component: () => import('./pages/phone/party/PairingBoardPage.vue'),
        meta: { tab: 'home', title: 'party.nav.mPairings', backTo: '/m/pairings' },
      },
      {
        path: 'announcements',
        name: 'm-announcements',
        component: () => import('./pages/phone/voice/AnnouncementsPage.vue'),
        meta: { tab: 'home', title: 'voice.nav', backTo: '/m' },
      },
      {
        path: 'announcements/:id(\\d+)',
        name: 'm-announcement',
        component: () => import('./pages/phone/voice/AnnouncementPage.vue'),
        meta: { tab: 'home', title: 'voice.nav', backTo: '/m/announcements' },
      },
      // 协商议事 for residents: the topics of their community, one topic (support, comment, vote,
      // pledge, rate, object).
      {
        path: 'topics',
        name: 'm-topics',
        component: () => import('./pages/phone/deliberation/TopicsPage.vue'),
        meta: { tab: 'home', title: 'delib.mNav', backTo: '/m' },
      },
      {
        path: 'topics/:id(\\d+)',
        name: 'm-topic',
        component: () => import('./pages/phone/deliberation/TopicPage.vue'),
        meta: { tab: 'home', title: 'delib.mNav', backTo: '/m/topics' },
      },
      {
        path: 'services',
        name: 'm-services',
        component: () => import('./pages/phone/services/ServicesPage.vue'),
        meta: { tab: 'home', title: 'svc.mNav', backTo: '/m' },
      },
      {
        path: 'service-requests/:id(\\d+)?',
        name: 'm-service-requests',
        component: () => import('./pages/phone/services/MyRequestsPage.vue'),
        meta: { tab: 'home', title: 'svc.mRequests', backTo: '/m/services' },
      },
      {
        path: 'bookings',
        name: 'm-bookings',
        component: () => import('./pages/phone/services/BookingsPage.vue'),
        meta: { tab: 'home', title: 'svc.mBooking', backTo: '/m' },
      },
      {
        path: 'care',
        name: 'm-care',
        component: () => import('./pages/phone/services/CareVisitsPage.vue'),
        meta: { tab: 'home', title: 'care.title', backTo: '/m' },
      },
      {
        path: 'surveys',
        name: 'm-surveys',
        component: () => import('./pages/phone/voice/SurveysPage.vue'),
        meta: { tab: 'home', title: 'mySurvey.title', backTo: '/m' },
      },
      {
        path: 'outbox',
        name: 'm-outbox',
        component: () => import('./pages/phone/platform/OutboxPage.vue'),
        meta: { tab: 'home', title: 'outbox.title', backTo: '/m' },
      },
      {
        path: 'me',
        name: 'm-me',
        component: () => import('./pages/phone/platform/MePage.vue'),
        meta: { tab: 'me', title: 'nav.mine' },
      },
    ],
  },
  // The command centre's wall screen (大屏), outside the desk's frame.
  { path: '/screen', name: 'screen', component: () => import('./pages/screen/ScreenPage.vue') },
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
  if (to.matched.some((r) => r.meta.desk) && isFieldOnly(user)) {
    // A desk link to a case (say, from a notification) opens the same case on the phone.
    return to.name === 'case' ? { name: 'm-case', params: to.params } : '/m'
  }
  if (to.meta.admin && !isAdmin(user)) return '/'
  return true
})

// Any API call answered 401 (session expired or signed out elsewhere) → sign-in page.
setUnauthorizedHandler(() => {
  forget()
  const here = router.currentRoute.value
  if (here.name !== 'login') router.push({ name: 'login', query: { next: here.fullPath } })
})
