// Browser test of volunteers (志愿服务) and field logs (民情走访, 巡查) through the web UI,
// against a running jiceng server with the demo district (scripts/browser-tests.sh):
//
//   JICENG_URL=http://127.0.0.1:18080 node --test tests/browser/volunteers.test.mjs
//
// The community (shequ) publishes an activity of 星光艺术团 that is on now (set up through the
// API); the demo resident (jumin) signs up on the phone and checks in with the code shown on
// the community's desk. While the activity runs, the grid worker (wangge) records a patrol on
// the phone, which their month counts, and the community's desk lists the worker's month. Once
// the activity is over the community confirms the hours on the desk, and the resident finds
// them in their points ledger. Demo users have the password Demo@2026jc (JICENG_DEMO_PASSWORD overrides it).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  apiAs,
  BASE,
  demo,
  field,
  launchBrowser,
  missing,
  openDesk,
  openPhone,
  shot,
  signIn,
  sleep,
  textarea,
} from "./lib.mjs";

const COMM1 = "999901001001";
const tag = Date.now().toString(36);
const TITLE = `社区文艺汇演彩排 ${tag}`;
const NOTE = `巡查发现井盖松动 ${tag}`;
// Check-in is open until the activity ends and hours can be confirmed only after it: long enough
// for the sign-up and check-in on a loaded machine, and the patrol test runs in the meantime.
const ACTIVITY_SECONDS = 90;

let browser;
const state = { activity: null, code: null, ends: 0 };

describe(
  "volunteers and field logs in the web UI",
  { skip: missing || false },
  () => {
    before(async () => {
      browser = await launchBrowser();
      // an activity of the demo team 星光艺术团 that is on now and ends in a little while
      const shequ = await apiAs(demo("shequ"));
      const teams = await shequ(
        "GET",
        `/volunteer-teams?region=${COMM1}&limit=200`,
      );
      const team = teams.data.items.find((t) => t.name === "星光艺术团");
      assert.ok(team, "the demo has 星光艺术团");
      state.ends = Date.now() + ACTIVITY_SECONDS * 1000;
      const res = await shequ("POST", "/volunteer-activities", {
        team_id: team.id,
        title: TITLE,
        place: "社区文化广场",
        starts_at: new Date(Date.now() - 3600e3).toISOString(),
        ends_at: new Date(state.ends).toISOString(),
        capacity: 3,
      });
      assert.equal(res.status, 201, JSON.stringify(res.data));
      state.activity = res.data.id;
    });
    after(async () => {
      await browser?.close();
    });

    test("the community shows the check-in code; the resident signs up and checks in on the phone", async () => {
      const d = await openDesk(browser);
      const p = await openPhone(browser);
      try {
        await signIn(d.page, demo("shequ"), { landing: "/" });
        await d.page.goto(`${BASE}/volunteers`);
        await d.page
          .locator('[data-test="vol-activities"] .el-table__row', {
            hasText: TITLE,
          })
          .click();
        const code = d.page.locator('[data-test="vol-code"]');
        await code.waitFor();
        state.code = (await code.innerText()).trim();
        assert.match(state.code, /^[2-9A-HJ-NP-Z]{6}$/);
        await shot(d.page, "volunteers-desk-activity");

        await signIn(p.page, demo("jumin"), { landing: "/m" });
        await p.page
          .locator('[data-test="m-shortcuts"] .van-grid-item', {
            hasText: "志愿服务",
          })
          .click();
        await p.page.waitForURL(`${BASE}/m/volunteers`);
        const card = p.page.locator(
          `[data-test="m-vol-activity"][data-activity-id="${state.activity}"]`,
        );
        await card.waitFor();
        await card.locator('[data-test="m-vol-sign-up"]').click();
        await card
          .locator('[data-test="m-vol-my-status"]', { hasText: "已报名" })
          .waitFor();
        // a wrong code is refused and the sign-up stays unchecked
        await card.locator('[data-test="m-vol-check-in"]').click();
        await field(p.page, "m-vol-code").fill("ZZZZZZ");
        await p.page
          .locator('[data-test="m-vol-code-dialog"] .van-dialog__confirm')
          .click();
        await p.page.getByText("签到码不正确").waitFor();
        assert.match(
          await card.locator('[data-test="m-vol-my-status"]').innerText(),
          /已报名/,
        );
        // the dialog stays open for another try
        await field(p.page, "m-vol-code").fill(state.code.toLowerCase());
        await p.page
          .locator('[data-test="m-vol-code-dialog"] .van-dialog__confirm')
          .click();
        await card
          .locator('[data-test="m-vol-my-status"]', { hasText: "已签到" })
          .waitFor();
        await shot(p.page, "volunteers-phone-checked-in");

        // the desk's list of the activity shows the resident checked in
        await d.page.reload();
        await d.page
          .locator('[data-test="vol-activities"] .el-table__row', {
            hasText: TITLE,
          })
          .click();
        const row = d.page.locator('[data-test="vol-signups"] .el-table__row', {
          hasText: "居民",
        });
        await row.waitFor();
        assert.doesNotMatch(await row.innerText(), /未签到/);
      } finally {
        await d.context.close();
        await p.context.close();
      }
    });

    test("a grid worker records a patrol on the phone; their month and the desk count it", async () => {
      const p = await openPhone(browser);
      const d = await openDesk(browser);
      try {
        await signIn(p.page, demo("wangge"), { landing: "/m" });
        await p.page.goto(`${BASE}/m/me`);
        await p.page.locator('[data-test="m-to-field-log"]').click();
        await p.page.waitForURL(`${BASE}/m/field-log`);
        const entries = p.page.locator('[data-test="m-fl-entries"]');
        await entries.waitFor();
        const before = Number(await entries.innerText());
        await field(p.page, "m-fl-address").fill("阳光路 8 号");
        await textarea(p.page, "m-fl-note").fill(NOTE);
        await p.page.locator('[data-test="m-fl-submit"]').click();
        await p.page
          .locator('[data-test="m-fl-entry"]', { hasText: NOTE })
          .waitFor();
        await p.page.waitForFunction(
          (n) =>
            Number(
              document.querySelector('[data-test="m-fl-entries"]')?.innerText,
            ) === n,
          before + 1,
        );
        await shot(p.page, "field-log-phone");

        await signIn(d.page, demo("shequ"), { landing: "/" });
        await d.page.goto(`${BASE}/field-logs`);
        const worker = d.page.locator(
          '[data-test="fl-workers"] .el-table__row',
          { hasText: "阳光社区第一网格网格员" },
        );
        await worker.click();
        await d.page.locator('[data-test="fl-days"]').getByText(NOTE).waitFor();
        await shot(d.page, "field-log-desk");
      } finally {
        await p.context.close();
        await d.context.close();
      }
    });

    test("after the activity the organiser confirms the hours; the resident sees them in the ledger", async () => {
      const wait = state.ends - Date.now() + 1500;
      if (wait > 0) await sleep(wait);
      const d = await openDesk(browser);
      const p = await openPhone(browser);
      try {
        await signIn(d.page, demo("shequ"), { landing: "/" });
        await d.page.goto(`${BASE}/volunteers`);
        await d.page
          .locator('[data-test="vol-activities"] .el-table__row', {
            hasText: TITLE,
          })
          .click();
        const row = d.page.locator('[data-test="vol-signups"] .el-table__row', {
          hasText: "居民",
        });
        await row.locator('[data-test="vol-confirm"]').click();
        await row.getByText(/已确认 [0-9.]+ 小时/).waitFor();
        await shot(d.page, "volunteers-desk-hours");

        await signIn(p.page, demo("jumin"), { landing: "/m" });
        await p.page.goto(`${BASE}/m/volunteers`);
        await p.page.locator(".van-tab", { hasText: "我的志愿服务" }).click();
        await p.page
          .locator('[data-test="m-vol-ledger"]', { hasText: TITLE })
          .waitFor();
        const points = Number(
          await p.page
            .locator('[data-test="m-vol-points"] .van-cell__value')
            .innerText(),
        );
        assert.ok(points > 0, `points ${points}`);
        await shot(p.page, "volunteers-phone-record");
      } finally {
        await d.context.close();
        await p.context.close();
      }
    });
  },
);
