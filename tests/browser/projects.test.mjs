// Browser test of the projects desk page (项目管理) on the demo district: the community
// secretary creates a project of 阳光社区 in the dialog, opens it, starts it (开工), adds a
// milestone and marks it done (the progress bar reads 100%), records spending within the
// budget, and sees an entry above the budget refused until a reason is given; the street
// manager then accepts (验收) it. Every step is asserted on the visible text.
// Then a project made from a topic: the topic page lists its projects and starts a new one
// from the topic (the form comes with the source filled in); the project is started with a
// milestone, edited while the street edits it too (the community sees both versions and keeps
// its own), shows on the topic page with a link to it, and on the community's public
// disclosure page (公开) without signing in.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, field, launchBrowser, missing, openDesk, SHOTS } from "./lib.mjs";

const TITLE = `楼道加装扶手${Date.now() % 100000}`;
const PARK = `口袋公园座椅${Date.now() % 100000}`;
const COMM1 = "999901001001";

let browser;

async function openProject(page) {
  await page.goto(`${BASE}/projects`);
  const row = page.locator('[data-test="project-table"] .el-table__row', {
    hasText: TITLE,
  });
  await row.waitFor();
  await row.click();
  const drawer = page.locator(".el-drawer", { hasText: TITLE });
  await drawer.waitFor();
  return drawer;
}

describe("projects desk page", { skip: missing || false, timeout: 180_000 }, () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test("the community runs a project, the street accepts it", async () => {
    const { context, page } = await openDesk(browser, "shequ");
    await page.goto(`${BASE}/projects`);
    await page.locator("h2", { hasText: "项目管理" }).waitFor();
    await page.locator('[data-test="project-new"]').click();
    await field(page, "project-title").fill(TITLE);
    await field(page, "project-unit").fill("城管执法");
    // the region: the community's own (the picker offers the caller's regions)
    await page.locator('.el-dialog .el-cascader').first().click();
    const node = page
      .locator(".el-cascader-node", { hasText: "阳光社区" })
      .first();
    await node.waitFor();
    const radio = node.locator(".el-radio");
    if (await radio.count()) await radio.first().click();
    else await node.click();
    await field(page, "project-title").click();
    await page.locator(".el-dialog .el-input-number input").first().fill("5000");
    await page.locator('[data-test="project-save"]').click();
    const drawer = page.locator(".el-drawer", { hasText: TITLE });
    await drawer.waitFor();
    assert.match(
      await drawer.locator('[data-test="project-state"]').innerText(),
      /计划中/,
    );

    await drawer.locator('[data-test="project-act-start"]').click();
    await drawer
      .locator('[data-test="project-state"]', { hasText: "实施中" })
      .waitFor();

    await drawer.getByPlaceholder("节点名称").fill("扶手安装");
    await drawer.getByPlaceholder("计划日期").fill("2027-01-15");
    await page.keyboard.press("Enter");
    await drawer.getByRole("button", { name: "添加节点" }).click();
    await drawer.locator(".el-table__row", { hasText: "扶手安装" }).waitFor();
    assert.match(
      await drawer.locator('[data-test="project-progress"]').innerText(),
      /0%/,
    );
    await drawer.getByRole("button", { name: "标记完成" }).click();
    await drawer
      .locator('[data-test="project-progress"]', { hasText: "100%" })
      .waitFor();

    const amount = drawer.locator(".row-form .el-input-number input").first();
    await amount.fill("3000");
    await drawer.getByLabel("用途").fill("扶手材料");
    await drawer.getByRole("button", { name: "登记支出" }).click();
    await drawer
      .locator('[data-test="project-spending"] .el-table__row', {
        hasText: "扶手材料",
      })
      .waitFor();
    assert.match(await drawer.innerText(), /3,000\.00/);
    // above the budget: the reason field appears, and the entry goes in with it
    await amount.fill("2500");
    await amount.blur();
    await drawer.getByLabel("用途").fill("追加安装");
    await drawer.getByLabel("超预算原因").fill("增加两层楼道");
    await drawer.getByRole("button", { name: "登记支出" }).click();
    await drawer
      .locator('[data-test="project-spending"] .el-table__row', {
        hasText: "增加两层楼道",
      })
      .waitFor();
    await drawer.locator('[data-test="project-act-complete"]').click();
    await drawer
      .locator('[data-test="project-state"]', { hasText: "已完工" })
      .waitFor();
    // the community may not accept its own work: no such button
    assert.equal(
      await drawer.locator('[data-test="project-act-accept"]').count(),
      0,
    );
    await page
      .screenshot({ path: `${SHOTS}/projects-community.png`, fullPage: true })
      .catch(() => {});
    await context.close();

    const street = await openDesk(browser, "jiedao");
    const d2 = await openProject(street.page);
    await d2.locator('[data-test="project-act-accept"]').click();
    await d2
      .locator('[data-test="project-state"]', { hasText: "已验收" })
      .waitFor();
    assert.match(await d2.innerText(), /验收/);
    await street.context.close();
  });

  test("a project from a topic: on the topic page and on the public page", async () => {
    const { context, page } = await openDesk(browser, "shequ");
    // a topic of 阳光社区 (the demo's pocket park topic already produced a project)
    const topics = await page.evaluate(() =>
      fetch("/api/v1/topics?limit=100").then((r) => r.json()),
    );
    const park = topics.items.find((x) => x.title === "楼间空地改建口袋公园");
    assert.ok(park, "the demo topic");
    await page.goto(`${BASE}/topics/${park.id}`);
    const linked = page.locator('[data-test="linked-projects"]');
    await linked
      .locator('[data-test="linked-project"]', {
        hasText: "第一网格口袋公园建设",
      })
      .waitFor();
    // a new project from the topic: the form knows where it comes from
    await linked.locator('[data-test="linked-project-new"]').click();
    await page.waitForURL(/\/projects\?/);
    const dialog = page.locator('[data-test="project-dialog"]');
    await dialog
      .locator('[data-test="project-new-source"]', {
        hasText: "楼间空地改建口袋公园",
      })
      .waitFor();
    await field(page, "project-title").fill(PARK);
    await field(page, "project-unit").fill("城管执法");
    await dialog.locator(".el-input-number input").first().fill("80000");
    await dialog.locator(".el-date-editor input").first().fill("2026-12-01");
    await page.keyboard.press("Enter");
    await dialog.locator(".el-date-editor input").nth(1).fill("2027-04-30");
    await page.keyboard.press("Enter");
    await page.locator('[data-test="project-save"]').click();
    const drawer = page.locator(".el-drawer", { hasText: PARK });
    await drawer.waitFor();
    assert.match(
      await drawer.locator('[data-test="project-source"]').innerText(),
      /楼间空地改建口袋公园/,
    );
    assert.match(
      await drawer.locator('[data-test="project-period"]').innerText(),
      /2026-12-01 ~ 2027-04-30/,
    );
    await drawer.getByPlaceholder("节点名称").fill("座椅采购");
    await drawer.getByPlaceholder("计划日期").fill("2027-01-15");
    await page.keyboard.press("Enter");
    await drawer.getByRole("button", { name: "添加节点" }).click();
    await drawer.locator(".el-table__row", { hasText: "座椅采购" }).waitFor();
    await drawer.locator('[data-test="project-act-start"]').click();
    await drawer
      .locator('[data-test="project-state"]', { hasText: "实施中" })
      .waitFor();

    // the community opens the edit form; meanwhile the street renames the project
    await drawer.locator('[data-test="project-edit"]').click();
    const edit = page.locator('[data-test="project-edit-dialog"]');
    await edit.waitFor();
    const projects = await page.evaluate(() =>
      fetch("/api/v1/projects?limit=200").then((r) => r.json()),
    );
    const made = projects.items.find((x) => x.title === PARK);
    assert.ok(
      made && made.link?.kind === "topic" && made.link.id === park.id,
    );
    const street = await openDesk(browser, "jiedao");
    await street.page.goto(`${BASE}/projects/${made.id}`);
    const sd = street.page.locator(".el-drawer", { hasText: PARK });
    await sd.waitFor();
    await sd.locator('[data-test="project-edit"]').click();
    await field(street.page, "project-edit-title").fill(`${PARK}（街道）`);
    await street.page.locator('[data-test="project-edit-save"]').click();
    await street.page
      .locator(".el-drawer", { hasText: `${PARK}（街道）` })
      .waitFor();
    await street.context.close();
    // the community's save meets the newer version: both are shown, it keeps its own
    await field(page, "project-edit-title").fill(`${PARK}（社区）`);
    await page.locator('[data-test="project-edit-save"]').click();
    const conflict = edit.locator('[data-test="project-conflict"]');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /（街道）[\s\S]*（社区）/);
    await page
      .screenshot({ path: `${SHOTS}/projects-conflict.png`, fullPage: true })
      .catch(() => {});
    await edit.locator('[data-test="project-use-mine"]').click();
    await page
      .locator(".el-drawer__title", { hasText: `${PARK}（社区）` })
      .waitFor();

    // the topic page lists it and links to it
    await page.goto(`${BASE}/topics/${park.id}`);
    const row = page.locator('[data-test="linked-project"]', {
      hasText: `${PARK}（社区）`,
    });
    await row.waitFor();
    await page
      .screenshot({ path: `${SHOTS}/projects-topic.png`, fullPage: true })
      .catch(() => {});
    await row.click();
    await page.waitForURL(`${BASE}/projects/${made.id}`);
    await page
      .locator(".el-drawer", { hasText: `${PARK}（社区）` })
      .waitFor();
    await context.close();

    // the public page, without an account: name, budget, unit, milestones
    const anon = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "zh-CN",
    });
    const pub = await anon.newPage();
    await pub.goto(`${BASE}/public/${COMM1}`);
    const card = pub.locator('[data-test="disclosure-project"]', {
      hasText: `${PARK}（社区）`,
    });
    await card.waitFor();
    const text = await card.innerText();
    for (const want of [
      "80,000.00",
      "城管执法",
      "座椅采购",
      "2027-01-15",
      "实施中",
      "2026-12-01",
    ])
      assert.ok(
        text.includes(want),
        `the public card shows ${want}: ${text}`,
      );
    assert.ok(!text.includes("阳光社区书记"), "no staff names");
    await pub
      .locator('[data-test="disclosure-project"]', {
        hasText: "第一网格口袋公园建设",
      })
      .waitFor();
    await pub.locator('[data-test="disclosure-projects"]').scrollIntoViewIfNeeded();
    await pub
      .locator('[data-test="disclosure-projects"]')
      .evaluate((h) => h.scrollIntoView({ block: "start" }));
    await pub
      .screenshot({ path: `${SHOTS}/projects-public.png` })
      .catch(() => {});
    await anon.close();
  });
});
