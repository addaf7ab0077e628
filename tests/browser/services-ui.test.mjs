// Browser test of services (服务下沉) through the web UI, against a running jiceng server with
// the demo district (scripts/browser-tests.sh):
//
//   JICENG_URL=http://127.0.0.1:18080 node --test tests/browser/services-ui.test.mjs
//
// The community (shequ) keeps an item of the catalogue (set up through the API) with the
// materials it needs; the demo resident (jumin) finds it on the phone, applies online and sees
// the request submitted; the community handles it on the desk (受理, 办结) from the queue, with
// the timeline; the resident sees it done and rates it. Then the resident books a slot: a slot
// that filled up meanwhile answers 409, which the phone tells in words and lets them choose
// another; the booking shows under 我的预约 and on the grid worker's desk list of the slot.
// A reception day (接待日) the cadre publishes is booked on the phone's 接待日 page and shows as
// a slot tagged 接待日 in the resident's 预约服务 and on the community's 预约管理 desk, with the
// resident's name and topic in its bookings.
// Demo users have the password Demo@2026jc (JICENG_DEMO_PASSWORD overrides it).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  apiAs,
  BASE,
  dayFromNow,
  demo,
  launchBrowser,
  missing,
  openDesk,
  openPhone,
  shot,
  signIn,
  textarea,
} from "./lib.mjs";

const COMM1 = "999901001001";
const GRID1 = "999901001001001";
const tag = Date.now().toString(36);
const ITEM = `临时救助申请 ${tag}`;
const FULL = `健康体检（已满） ${tag}`;
const OPEN = `法律咨询 ${tag}`;
const NOTE = `家中老人住院，申请临时救助 ${tag}`;
const RECEPTION_PLACE = `社区接待室 ${tag}`;
const TOPIC = `楼道堆物 ${tag}`;

let browser;
const state = { item: null, full: null, open: null, request: null };
const at = (hours) => new Date(Date.now() + hours * 3600e3).toISOString();

describe(
  "services in the web UI: apply and book on the phone, handle on the desk",
  { skip: missing || false },
  () => {
    before(async () => {
      browser = await launchBrowser();
      const shequ = await apiAs(demo("shequ"));
      const item = await shequ("POST", "/service-items", {
        level: "community",
        region_code: COMM1,
        name: ITEM,
        materials: ["身份证", "住院证明"],
        time_limit_days: 5,
      });
      assert.equal(item.status, 201, JSON.stringify(item.data));
      state.item = item.data;
      const wangge = await apiAs(demo("wangge"));
      for (const [key, service, capacity, h] of [
        ["full", FULL, 1, 48],
        ["open", OPEN, 5, 50],
      ]) {
        const res = await wangge("POST", "/service-slots", {
          service,
          region_code: GRID1,
          place: "网格服务站",
          starts_at: at(h),
          ends_at: at(h + 1),
          capacity,
        });
        assert.equal(res.status, 201, JSON.stringify(res.data));
        state[key] = res.data;
      }
    });
    after(async () => {
      await browser?.close();
    });

    test("the resident applies online on the phone and sees it submitted", async () => {
      const p = await openPhone(browser);
      try {
        await signIn(p.page, demo("jumin"), { landing: "/m" });
        await p.page
          .locator('[data-test="m-shortcuts"] .van-grid-item', {
            hasText: "在线办理",
          })
          .click();
        await p.page.waitForURL(`${BASE}/m/services`);
        await p.page
          .locator('[data-test="m-svc-items"] .van-cell', { hasText: ITEM })
          .click();
        const sheet = p.page.locator('[data-test="m-svc-apply"]');
        await sheet.getByText("住院证明").waitFor();
        await sheet.getByText("5 个工作日内办结").waitFor();
        await shot(p.page, "services-phone-apply");
        // nothing given: told what is missing, nothing sent
        await p.page.locator('[data-test="m-svc-submit"]').click();
        await p.page.getByText("请填写申请说明或上传材料照片").waitFor();
        await textarea(p.page, "m-svc-note").fill(NOTE);
        await p.page.locator('[data-test="m-svc-submit"]').click();
        await p.page.waitForURL(/\/m\/service-requests\/\d+$/);
        state.request = Number(p.page.url().split("/").pop());
        const box = p.page.locator('[data-test="m-svc-request"]');
        await box.getByText(ITEM).waitFor();
        assert.equal(
          (
            await p.page.locator('[data-test="m-svc-state"]').innerText()
          ).trim(),
          "已提交",
        );
        await p.page
          .locator('[data-test="m-svc-timeline"]')
          .getByText("提交申请")
          .waitFor();
        await shot(p.page, "services-phone-submitted");
      } finally {
        await p.context.close();
      }
    });

    test("the community handles the request on the desk: accept, complete, with the timeline", async () => {
      const d = await openDesk(browser);
      try {
        await signIn(d.page, demo("shequ"), { landing: "/" });
        await d.page.locator('[data-test="services-menu"]').click();
        await d.page.locator('[data-test="menu-service-requests"]').click();
        await d.page.waitForURL(`${BASE}/service-requests`);
        const row = d.page.locator(
          '[data-test="svc-requests"] .el-table__row',
          {
            hasText: ITEM,
          },
        );
        await row.getByText("已提交").waitFor();
        // the applicant by the resident's name, not the account's display name (居民)
        const me = await (await apiAs(demo("jumin")))("GET", "/me");
        const shequ = await apiAs(demo("shequ"));
        const person = await shequ("GET", `/residents/${me.data.resident_id}`);
        await row.getByText(person.data.name).first().waitFor();
        await shot(d.page, "services-desk-queue");
        await row.click();
        const drawer = d.page.locator('[data-test="svc-req-drawer"]');
        await drawer.getByText(NOTE).first().waitFor();
        await drawer.getByText("5 个工作日").waitFor();
        await drawer.locator('[data-test="svc-act-accept"]').click();
        await drawer
          .locator('[data-test="svc-req-state"]', { hasText: "已受理" })
          .waitFor();
        await drawer.locator('[data-test="svc-act-complete"]').click();
        await drawer
          .locator('[data-test="svc-req-state"]', { hasText: "已办结" })
          .waitFor();
        const timeline = drawer.locator('[data-test="svc-req-timeline"]');
        for (const s of ["提交申请", "受理", "办结"])
          await timeline.getByText(s, { exact: true }).first().waitFor();
        // no step is left once it is done
        assert.equal(
          await drawer.locator('[data-test="svc-req-actions"]').count(),
          0,
        );
        await shot(d.page, "services-desk-completed");
        // the state filter: it is among the completed ones, not among the submitted ones
        await d.page.keyboard.press("Escape");
        await d.page.locator('[data-test="svc-req-status"]').click();
        await d.page
          .locator(".el-select-dropdown__item", { hasText: "已办结" })
          .click();
        await d.page
          .locator('[data-test="svc-requests"] .el-table__row', {
            hasText: ITEM,
          })
          .getByText("已办结")
          .waitFor();
        // the catalogue lists the item with its materials
        await d.page.locator('[data-test="menu-service-items"]').click();
        const item = d.page.locator('[data-test="svc-items"] .el-table__row', {
          hasText: ITEM,
        });
        await item.getByText("住院证明").waitFor();
        await item.getByText("5 个工作日").waitFor();
      } finally {
        await d.context.close();
      }
    });

    test("the resident sees it done and rates it", async () => {
      const p = await openPhone(browser);
      try {
        await signIn(p.page, demo("jumin"), { landing: "/m" });
        await p.page.goto(`${BASE}/m/service-requests`);
        await p.page
          .locator('[data-test="m-svc-requests"] .van-cell', { hasText: ITEM })
          .getByText("已办结")
          .waitFor();
        await p.page
          .locator('[data-test="m-svc-requests"] .van-cell', { hasText: ITEM })
          .click();
        await p.page.waitForURL(`${BASE}/m/service-requests/${state.request}`);
        await p.page
          .locator('[data-test="m-svc-state"]', { hasText: "已办结" })
          .waitFor();
        await textarea(p.page, "m-svc-comment").fill("办得很快，谢谢");
        await p.page.locator('[data-test="m-svc-act-rate"]').click();
        await p.page.getByText("感谢您的评价").waitFor();
        await p.page
          .locator('[data-test="m-svc-timeline"]')
          .getByText("办得很快，谢谢")
          .waitFor();
        assert.equal(
          await p.page.locator('[data-test="m-svc-actions"]').count(),
          0,
        );
        await shot(p.page, "services-phone-rated");
      } finally {
        await p.context.close();
      }
    });

    test("booking on the phone: a slot full meanwhile is told in words, another is booked", async () => {
      const p = await openPhone(browser);
      try {
        await signIn(p.page, demo("jumin"), { landing: "/m" });
        await p.page
          .locator('[data-test="m-shortcuts"] .van-grid-item', {
            hasText: "预约服务",
          })
          .click();
        await p.page.waitForURL(`${BASE}/m/bookings`);
        const slots = p.page.locator('[data-test="m-book-slots"]');
        await slots.getByText(FULL).waitFor();
        await slots
          .locator(".van-cell", { hasText: FULL })
          .getByText("余 1 位")
          .waitFor();
        // someone else takes the last place while the page is open
        const wangge = await apiAs(demo("wangge"));
        const me = await (await apiAs(demo("jumin")))("GET", "/me");
        const people = await wangge(
          "GET",
          `/residents?region=${GRID1}&limit=50`,
        );
        const other = people.data.items.find(
          (r) => r.id !== me.data.resident_id,
        );
        const taken = await wangge(
          "POST",
          `/service-slots/${state.full.id}/bookings`,
          {
            resident_id: other.id,
          },
        );
        assert.equal(taken.status, 201, JSON.stringify(taken.data));
        await p.page.locator(`[data-test="m-book-${state.full.id}"]`).click();
        const dialog = p.page.locator(".van-dialog");
        await dialog.getByText("未能预约").waitFor();
        await dialog.getByText("该时段已约满").waitFor();
        await dialog.getByText("请重新选择其他时段").waitFor();
        await shot(p.page, "services-phone-full");
        await dialog.locator(".van-dialog__confirm").click();
        // the list again, the full slot without a place left; choose the other one
        await slots
          .locator(".van-cell", { hasText: FULL })
          .getByText("余 0 位")
          .waitFor();
        await p.page.locator(`[data-test="m-book-${state.open.id}"]`).click();
        await p.page.getByText("预约成功").waitFor();
        const mine = p.page.locator('[data-test="m-book-mine"]');
        await mine.getByText(OPEN).waitFor();
        assert.equal(await mine.getByText(FULL).count(), 0);
        await shot(p.page, "services-phone-booked");
      } finally {
        await p.context.close();
      }
    });

    test("a reception day is booked on the phone and shows as a 接待日 slot on both sides", async () => {
      const ganbu = await apiAs(demo("ganbu"));
      const [cadre] = (await ganbu("GET", "/cadres?mine=true")).data.items;
      const held = dayFromNow(3);
      const day = await ganbu("POST", "/reception-days", {
        cadre_id: cadre.id,
        held_on: held,
        starts: "14:00",
        ends: "16:00",
        place: RECEPTION_PLACE,
        slots: [
          { starts: "14:00", ends: "15:00", capacity: 2 },
          { starts: "15:00", ends: "16:00", capacity: 2 },
        ],
      });
      assert.equal(day.status, 201, JSON.stringify(day.data));
      const p = await openPhone(browser);
      try {
        await signIn(p.page, demo("jumin"), { landing: "/m" });
        await p.page.goto(`${BASE}/m/reception`);
        const card = p.page.locator(`[data-day-id="${day.data.id}"]`);
        await card.locator('[data-test="m-book"]').click();
        const sheet = p.page.locator('[data-test="m-book-sheet"]');
        await sheet.locator(`[data-slot-id="${day.data.slots[1].id}"]`).click();
        await textarea(p.page, "m-book-topic").fill(TOPIC);
        await sheet.locator('[data-test="m-book-submit"]').click();
        await p.page.getByText("预约成功").waitFor();
        await card.locator('[data-test="m-day-booked"]').waitFor();
        await p.page
          .locator('[data-test="m-my-bookings"]')
          .getByText(TOPIC)
          .waitFor();
        await shot(p.page, "services-phone-reception");
        // the same booking under 预约服务, tagged 接待日
        await p.page.goto(`${BASE}/m/bookings`);
        await p.page.locator(".van-tab", { hasText: "我的预约" }).click();
        const mine = p.page.locator('[data-test="m-book-mine"] .van-cell', {
          hasText: RECEPTION_PLACE,
        });
        await mine.getByText("接待日", { exact: true }).waitFor();
        await mine.getByText(`${cadre.name}接待日`).waitFor();
        await shot(p.page, "services-phone-reception-mine");
      } finally {
        await p.context.close();
      }
      const d = await openDesk(browser);
      try {
        const me = await (await apiAs(demo("jumin")))("GET", "/me");
        const shequ = await apiAs(demo("shequ"));
        const person = await shequ("GET", `/residents/${me.data.resident_id}`);
        await signIn(d.page, demo("shequ"), { landing: "/" });
        await d.page.goto(`${BASE}/service-slots`);
        const date = d.page.getByPlaceholder("选择日期");
        await date.fill(held);
        await date.press("Enter");
        const row = d.page
          .locator('[data-test="svc-slots"] .el-table__row', {
            hasText: "15:00–16:00",
          })
          .filter({ hasText: RECEPTION_PLACE });
        await row.locator('[data-test="svc-slot-reception"]').waitFor();
        await row.getByText("1 / 2").waitFor();
        await shot(d.page, "services-desk-reception-slots");
        // 类别: 服务预约 leaves the day's slots out, 接待日 keeps only them
        const pickKind = async (label) => {
          await d.page.locator('[data-test="svc-slot-kind"]').click();
          await d.page
            .locator(".el-select-dropdown__item:visible", { hasText: label })
            .click();
        };
        await pickKind("服务预约");
        await row.waitFor({ state: "detached" });
        assert.equal(
          await d.page.locator('[data-test="svc-slot-reception"]').count(),
          0,
        );
        await pickKind("接待日");
        await row.locator('[data-test="svc-slot-reception"]').waitFor();
        const rows = d.page.locator('[data-test="svc-slots"] .el-table__row');
        assert.equal(
          await rows.count(),
          await d.page.locator('[data-test="svc-slot-reception"]').count(),
          "every row listed is a reception day's",
        );
        await d.page
          .locator('[data-test="svc-slots"] .el-loading-mask')
          .waitFor({ state: "hidden" });
        await shot(d.page, "services-desk-reception-only");
        await row.click();
        const list = d.page.locator('[data-test="svc-slot-bookings"]');
        await list.getByText(person.data.name).waitFor();
        await list.getByText(TOPIC).waitFor();
        await shot(d.page, "services-desk-reception-slot");
      } finally {
        await d.context.close();
      }
    });

    test("the grid worker's desk lists the slot's bookings with the resident's name", async () => {
      const d = await openDesk(browser);
      try {
        const me = await (await apiAs(demo("jumin")))("GET", "/me");
        const shequ = await apiAs(demo("shequ"));
        const person = await shequ("GET", `/residents/${me.data.resident_id}`);
        await signIn(d.page, demo("shequ"), { landing: "/" });
        await d.page.goto(`${BASE}/service-slots`);
        const row = d.page.locator('[data-test="svc-slots"] .el-table__row', {
          hasText: OPEN,
        });
        await row.getByText("1 / 5").waitFor();
        await row.click();
        const list = d.page.locator('[data-test="svc-slot-bookings"]');
        await list.getByText(person.data.name).waitFor();
        await list.getByText("居民自约").waitFor();
        await shot(d.page, "services-desk-slot");
        // the care targets of the community, the overdue ones marked
        await d.page.goto(`${BASE}/care-targets`);
        await d.page.locator('[data-test="care-overdue"]').click();
        const first = d.page
          .locator('[data-test="care-targets"] .el-table__row')
          .first();
        await first.getByText(/逾期 \d+ 天/).waitFor();
        await first.click();
        await d.page
          .locator('[data-test="care-drawer"]')
          .getByText("走访记录")
          .waitFor();
        await shot(d.page, "services-desk-care");
      } finally {
        await d.context.close();
      }
    });
  },
);
