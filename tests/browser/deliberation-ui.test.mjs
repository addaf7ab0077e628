// Browser test of the deliberation pages (协商议事): the community's secretary (shequ) proposes a
// topic for 阳光社区第一网格 on the desk's topics board; the resident jumin finds it on the phone
// (390×844, zh-CN) and supports it (附议); on the desk the topic moves to 民议, moving on to 民决
// without a minuted meeting is refused with the server's reason under the form, a meeting with
// minutes lets it pass, and a ballot is opened (each household one vote, no quorum). jumin votes
// on the phone and changes the vote (the later one replaces the earlier), two more households
// vote; leaving 民决 for 民筹 closes the ballot and the desk shows the result; jumin sees it on
// the phone and pledges. Every page is read for raw codes leaking into the Chinese text.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  apiAs,
  BASE,
  launchBrowser,
  missing,
  openDesk,
  openPhone,
  SHOTS,
  signIn,
} from "./lib.mjs";

// Stage and field codes that must not show in the zh-CN pages.
const RAW =
  /six_step|four_two|proposed|discussing|deciding|pledging|household|resident|delib\.|undefined|null|NaN/;

let browser;

// An input or a textarea: this file's forms have both under data-test names.
const field = (page, name) =>
  page
    .locator(
      `input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`,
    )
    .first();

async function noRawCodes(page, where) {
  const text = await page.locator("body").innerText();
  const m = text.match(RAW);
  assert.equal(m, null, `${where}: raw code "${m?.[0]}" in the page`);
}

describe(
  "协商议事 on the desk and the phone",
  { skip: missing || false },
  () => {
    const title = `增设楼道扶手${Date.now().toString(36).slice(-5)}`;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    test("staff propose and advance, the resident supports and votes, staff see the result", async () => {
      const desk = await openDesk(browser);
      const phone = await openPhone(browser);
      try {
        // The desk: the board lists the demo's topics, most supported first; a new topic.
        const d = desk.page;
        await signIn(d, "shequ", { landing: "/" });
        await d
          .locator('[data-test="side-menu"] .el-menu-item', {
            hasText: "协商议事",
          })
          .click();
        await d.waitForURL(`${BASE}/topics`);
        await d
          .locator('[data-test="topics-table"] .el-table__row')
          .first()
          .waitFor();
        const supports = await d
          .locator('[data-test="topic-supports"]')
          .allInnerTexts();
        const n = supports.map(Number);
        assert.deepEqual(
          n,
          [...n].sort((a, b) => b - a),
          "the most supported first",
        );
        await noRawCodes(d, "desk board");
        await d.screenshot({ path: `${SHOTS}/90-desk-topics.png` });

        await d.locator('[data-test="topic-new"]').click();
        const dialog = d.locator(".el-dialog", { hasText: "新建议题" });
        await dialog.waitFor();
        await dialog.locator(".el-cascader").click();
        // the panel's first level first: count() does not wait, and a street above the community
        // is there only for some users
        await d.locator(".el-cascader-node:visible").first().waitFor();
        const street = d
          .locator(".el-cascader-node:visible", { hasText: "幸福街道" })
          .first();
        if (await street.count()) await street.click();
        await d
          .locator(".el-cascader-node:visible", { hasText: "阳光社区" })
          .first()
          .click();
        await d
          .locator(".el-cascader-node:visible", { hasText: "阳光社区第一网格" })
          .first()
          .locator(".el-radio")
          .click();
        await field(d, "topic-title").fill(title);
        await field(d, "topic-body").fill(
          "3号楼老人多，楼道台阶陡，建议在各楼道加装扶手。",
        );
        await dialog.locator('[data-test="topic-save"]').click();
        await d.waitForURL(/\/topics\/\d+$/);
        const id = Number(d.url().split("/").pop());
        await d
          .locator('[data-test="topic-title"]', { hasText: title })
          .waitFor();
        assert.equal(
          (await d.locator('[data-test="topic-stage"]').innerText()).trim(),
          "提议",
        );

        // The phone: jumin finds it among the community's topics and supports it.
        const p = phone.page;
        await signIn(p, "jumin", { landing: "/m" });
        await p
          .locator('[data-test="m-shortcuts"] .van-grid-item', {
            hasText: "协商议事",
          })
          .click();
        await p.waitForURL(`${BASE}/m/topics`);
        const item = p.locator('[data-test="m-topic"]', { hasText: title });
        await item.waitFor();
        await noRawCodes(p, "phone topics");
        await p.screenshot({ path: `${SHOTS}/91-phone-topics.png` });
        await item.click();
        await p.waitForURL(`${BASE}/m/topics/${id}`);
        await p.locator('[data-test="m-topic-support"]').click();
        await p
          .locator('[data-test="m-topic-support"]', { hasText: "已附议" })
          .waitFor();
        assert.match(
          await p.locator('[data-test="m-topic-supports"]').innerText(),
          /1 人附议/,
        );
        await noRawCodes(p, "phone topic");
        await p.screenshot({ path: `${SHOTS}/92-phone-supported.png` });

        // The desk: to 民议; 民决 is refused without minutes (409 under the form); a meeting with
        // minutes; then 民决 and a ballot.
        await d.reload();
        assert.match(
          await d.locator('[data-test="topic-supports"]').innerText(),
          /1 人附议/,
        );
        const advance = d.locator('[data-test="topic-advance"]');
        await advance
          .locator('[data-test="advance-to"] .el-radio-button', {
            hasText: "民议",
          })
          .click();
        await advance.locator('[data-test="advance-submit"]').click();
        await d
          .locator('[data-test="topic-stage"]', { hasText: "民议" })
          .waitFor();

        // 民议: jumin comments on the phone; the desk hides one with a reason, the phone shows why.
        await p.reload();
        await field(p, "m-comment-body").fill(
          "建议扶手装在靠墙一侧，别占楼道。",
        );
        await p.locator('[data-test="m-comment-send"]').click();
        await p
          .locator('[data-test="m-comment"]', {
            hasText: "建议扶手装在靠墙一侧",
          })
          .waitFor();
        await field(p, "m-comment-body").fill("楼上那家天天吵，管管他们！");
        await p.locator('[data-test="m-comment-send"]').click();
        await p
          .locator('[data-test="m-comment"]', { hasText: "楼上那家天天吵" })
          .waitFor();
        await d.reload();
        const rude = d.locator('[data-test="topic-comment"]', {
          hasText: "楼上那家天天吵",
        });
        await rude.locator('[data-test="comment-hide"]').click();
        await d.locator(".el-message-box input").fill("与议题无关");
        await d.locator(".el-message-box__btns .el-button--primary").click();
        await rude
          .locator(".el-tag", { hasText: "已隐藏（与议题无关）" })
          .waitFor();
        await noRawCodes(d, "desk comments");
        await d.screenshot({ path: `${SHOTS}/93a-desk-comment-hidden.png` });
        await p.reload();
        await p
          .locator('[data-test="m-comment"]', {
            hasText: "已隐藏（与议题无关）",
          })
          .waitFor();
        const shown = await p.locator('[data-test="m-comments"]').innerText();
        assert.ok(
          !shown.includes("楼上那家天天吵"),
          "the hidden text is gone from the phone",
        );
        await advance
          .locator('[data-test="advance-to"] .el-radio-button', {
            hasText: "民决",
          })
          .click();
        await advance.locator('[data-test="advance-submit"]').click();
        const refusal = advance.locator('[data-test="advance-error"]');
        await refusal.waitFor();
        assert.match(await refusal.innerText(), /须先召开议事会并记录会议纪要/);
        assert.equal(
          (await d.locator('[data-test="topic-stage"]').innerText()).trim(),
          "民议",
        );
        await noRawCodes(d, "desk topic refused");
        await d.screenshot({
          path: `${SHOTS}/93-desk-advance-refused.png`,
          fullPage: true,
        });

        await d
          .locator('[data-test="topic-tabs"] .el-tabs__item', {
            hasText: "议事会",
          })
          .click();
        await d.locator('[data-test="meeting-new"]').click();
        await field(d, "meeting-place").fill("第一网格红色议事厅");
        await field(d, "meeting-minutes-text").fill(
          "与会居民同意在3号楼至6号楼楼道加装扶手，提交居民表决。",
        );
        await d.locator('[data-test="dialog-save"]').click();
        await d
          .locator('[data-test="meetings-table"] .el-table__row', {
            hasText: "第一网格红色议事厅",
          })
          .waitFor();
        await advance
          .locator('[data-test="advance-to"] .el-radio-button', {
            hasText: "民决",
          })
          .click();
        await advance.locator('[data-test="advance-submit"]').click();
        await d
          .locator('[data-test="topic-stage"]', { hasText: "民决" })
          .waitFor();

        await d
          .locator('[data-test="topic-tabs"] .el-tabs__item', {
            hasText: "表决",
          })
          .click();
        await d.locator('[data-test="ballot-new"]').click();
        const bd = d.locator(".el-dialog", { hasText: "发起表决" });
        await bd.waitFor();
        await bd
          .locator(".el-form-item", { hasText: "参与比例不低于" })
          .locator("input")
          .fill("0");
        await noRawCodes(d, "desk ballot dialog");
        await d.screenshot({ path: `${SHOTS}/94-desk-ballot-open.png` });
        await d.locator('[data-test="dialog-save"]').click();
        const ballot = d.locator('[data-test="ballot"]').first();
        await ballot.locator(".el-tag", { hasText: "进行中" }).waitFor();
        assert.match(await ballot.innerText(), /表决结束后公布各选项票数/);

        // The phone: jumin votes 不同意, then changes to 同意 — one vote of the household.
        await p.reload();
        const opts = p.locator('[data-test="m-ballot-options"] .van-cell');
        await opts.filter({ hasText: "不同意" }).click();
        await p.locator('[data-test="m-vote"]').click();
        await p
          .locator('[data-test="m-my-vote"]', { hasText: "您已投：不同意" })
          .waitFor();
        await opts.filter({ hasText: /^同意$/ }).click();
        await p.locator('[data-test="m-vote"]').click();
        await p
          .locator('[data-test="m-my-vote"]', { hasText: "您已投：同意" })
          .waitFor();
        const mine = await p.locator('[data-test="m-my-vote"]').innerText();
        assert.match(mine, /截止前可以改投，以最后一次为准/);
        assert.match(
          await p.locator('[data-test="m-ballot"]').innerText(),
          /参与 1\/\d+/,
        );
        await noRawCodes(p, "phone ballot");
        await p.screenshot({
          path: `${SHOTS}/95-phone-voted.png`,
          fullPage: true,
        });

        // Two more households (the demo's yishi3 and yishi4) vote on their phones' API.
        for (const [u, option] of [
          ["yishi3", 0],
          ["yishi4", 1],
        ]) {
          const r = await (
            await apiAs(u)
          )("POST", `/topics/${id}/votes`, { option });
          assert.equal(r.status, 201, `${u}: ${JSON.stringify(r.data)}`);
        }

        // The desk: 民决 → 民筹 closes the ballot; its result shows.
        await d.reload();
        await advance
          .locator('[data-test="advance-to"] .el-radio-button', {
            hasText: "民筹",
          })
          .click();
        await advance.locator('[data-test="advance-submit"]').click();
        await d
          .locator('[data-test="topic-stage"]', { hasText: "民筹" })
          .waitFor();
        await d
          .locator('[data-test="topic-tabs"] .el-tabs__item', {
            hasText: "表决",
          })
          .click();
        const result = d.locator('[data-test="ballot"]').first();
        await result.locator('[data-test="ballot-result"]').waitFor();
        const rt = await result.innerText();
        assert.match(rt, /已结束/);
        assert.match(rt, /通过/);
        assert.match(rt, /参与 3\/\d+/);
        assert.match(rt, /同意\s*2/);
        assert.match(rt, /不同意\s*1/);
        await noRawCodes(d, "desk result");
        await result.scrollIntoViewIfNeeded();
        await d.screenshot({ path: `${SHOTS}/96-desk-result.png` });

        // The phone: the result, and a pledge of 200 yuan (民筹).
        await p.reload();
        await p
          .locator('[data-test="m-ballot-result"]', { hasText: "通过" })
          .waitFor();
        await field(p, "m-pledge-amount").fill("200");
        await p.locator('[data-test="m-pledge"]').click();
        await p
          .locator(".van-cell", { hasText: "已认筹" })
          .filter({ hasText: "200 元" })
          .waitFor();
        await noRawCodes(p, "phone pledge");
        await p.screenshot({
          path: `${SHOTS}/97-phone-result-pledged.png`,
          fullPage: true,
        });
      } finally {
        await desk.context.close();
        await phone.context.close();
      }
    });
  },
);
