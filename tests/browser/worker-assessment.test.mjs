// Browser test of the grid worker assessment (网格员考核) and of residents answering surveys on
// the phone, on the demo district: 阳光社区's secretary opens 网格员考核 from the menu — the
// community's six grid workers for this month with the totals the API computes — expands the
// busiest reporter's row into the breakdown of the score, opens the cases behind their report
// count and lands on one of them; a grid worker sees their own month's figures on 我的一天; a
// resident opens 满意度测评 from the phone home, answers the demo's census survey of grid 1 once
// and sees it answered. Screenshots go to JICENG_SHOTS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  apiGet,
  BASE,
  launchBrowser,
  missing,
  month,
  openDesk,
  openPhone,
  shot,
} from "./lib.mjs";

const COMM = "999901001001"; // 阳光社区

let browser;

const num = (v) => Number(v).toFixed(2).replace(/\.00$/, "");

describe(
  "grid worker assessment and residents’ surveys in the web UI",
  { skip: missing || false },
  () => {
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    test("the community secretary reads the assessment, its breakdown and the cases behind a number", async () => {
      const { context, page } = await openDesk(browser, "shequ");
      try {
        await page
          .locator('[data-test="command-menu"] .el-sub-menu__title')
          .click();
        await page.locator('[data-test="menu-worker-assessments"]').click();
        await page.waitForURL(`${BASE}/worker-assessments`);
        await page.getByText("网格员月度考核").first().waitFor();
        const api = await apiGet(
          page,
          `/worker-assessments?region=${COMM}&month=${month()}`,
        );
        assert.equal(api.status, 200);
        // the demo's six (wangge … wangge6), and any grid worker another browser test of the
        // same server added to the community meanwhile
        assert.ok(api.body.items.length >= 6, "wangge … wangge6");
        await page
          .locator('[data-test="wa-table"] .el-table__row')
          .first()
          .waitFor();
        for (const r of api.body.items) {
          await page
            .locator(`[data-test="wa-name-${r.user_id}"]`)
            .getByText(r.name)
            .waitFor();
          assert.equal(
            (
              await page
                .locator(`[data-test="wa-total-${r.user_id}"]`)
                .innerText()
            ).trim(),
            num(r.total),
          );
          assert.equal(
            (
              await page
                .locator(`[data-test="wa-rank-${r.user_id}"]`)
                .innerText()
            ).trim(),
            String(r.rank),
          );
        }
        await page.getByText("阳光社区第三网格网格员").first().waitFor();
        // the busiest reporter's row: expand it into the breakdown
        const busiest = [...api.body.items].sort(
          (a, b) => b.counts.reports - a.counts.reports,
        )[0];
        assert.ok(
          busiest.counts.reports > 0,
          "the demo has reports by grid workers this month",
        );
        const row = page
          .locator('[data-test="wa-table"] .el-table__row')
          .filter({
            has: page.locator(`[data-test="wa-name-${busiest.user_id}"]`),
          });
        const bd = page.locator(
          `[data-test="wa-breakdown-${busiest.user_id}"]`,
        );
        // (a click while the table still settles may be lost: try again)
        for (let i = 0; i < 3 && !(await bd.isVisible()); i++) {
          await row.locator(".el-table__expand-icon").click();
          await bd.waitFor({ timeout: 10_000 }).catch(() => {});
        }
        await bd.getByText("上报事件数").waitFor();
        await bd.getByText("按期办结率").waitFor();
        await bd.getByText("回访不实件数").waitFor();
        await shot(page, "worker-assessment");
        // the cases behind the report count
        await page
          .locator(`[data-test="wa-drill-reports-${busiest.user_id}"]`)
          .click();
        const recs = await apiGet(
          page,
          `/worker-assessments/records?user=${busiest.user_id}&measure=reports&month=${month()}&region=${COMM}`,
        );
        assert.equal(recs.status, 200);
        assert.ok(recs.body.items.length > 0);
        const first = recs.body.items[0];
        const link = page.locator(`[data-test="wa-record-case-${first.id}"]`);
        await link.getByText(first.number).waitFor();
        await shot(page, "worker-assessment-records");
        await link.click();
        await page.waitForURL(`${BASE}/cases/${first.id}`);
        await page.getByText(first.number).first().waitFor();
      } finally {
        await context.close();
      }
    });

    test("a grid worker sees their own month on 我的一天", async () => {
      const { context, page } = await openPhone(browser, "wangge3");
      try {
        const own = await apiGet(page, `/worker-assessments?month=${month()}`);
        assert.equal(own.status, 200);
        assert.equal(own.body.items.length, 1);
        const box = page.locator('[data-test="m-my-assessment"]');
        await box.getByText("我的本月考核").waitFor();
        await box.getByText("上报事件数").waitFor();
        assert.equal(
          (
            await page.locator('[data-test="m-my-total"] .total').innerText()
          ).trim(),
          num(own.body.items[0].total),
        );
        await shot(page, "worker-assessment-phone");
      } finally {
        await context.close();
      }
    });

    test("a resident answers the survey of their household once on the phone", async () => {
      const { context, page } = await openPhone(browser, "jumin3");
      try {
        await page
          .locator('[data-test="m-shortcuts"]')
          .getByText("满意度测评")
          .click();
        await page.waitForURL(`${BASE}/m/surveys`);
        const mine = await apiGet(page, "/me/surveys");
        const sv = mine.body.items.find(
          (s) => s.title === "第一网格居民满意度自评（演示）",
        );
        assert.ok(sv && !sv.answered, "the census survey waits for jumin3");
        const card = page.locator(`[data-test="m-survey-${sv.id}"]`);
        await card.getByText("第一网格居民满意度自评（演示）").waitFor();
        await card.getByText("您对本网格的环境卫生是否满意？").waitFor();
        await card.getByText("待作答").waitFor();
        await page
          .locator(`[data-test="m-survey-${sv.id}-q0"]`)
          .getByText("基本满意")
          .click();
        await page
          .locator(`[data-test="m-survey-${sv.id}-q1"]`)
          .getByText("满意", { exact: true })
          .click();
        await page.locator(`[data-test="m-survey-${sv.id}-submit"]`).click();
        await card.getByText("已作答").waitFor();
        const after = await apiGet(page, "/me/surveys");
        assert.equal(
          after.body.items.find((s) => s.id === sv.id).answered,
          true,
        );
        await shot(page, "resident-survey-phone");
      } finally {
        await context.close();
      }
    });
  },
);
