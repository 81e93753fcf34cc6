// The browser tests: headless Chromium (Debian's) driven by playwright-core
// against a real bighealth server. Run by crates/server/tests/browser.rs,
// which starts the server, passes these in the environment, and checks the
// database afterwards:
//   BH_BASE       the server, http://127.0.0.1:PORT
//   BH_PASSWORDS  {"office": "...", "security": ..., "auditor", "reporter", "leader"}
//   BH_PLAN       the id of seed 002's plan (黔江区)
//   BH_DOCX       a .docx plan to upload
//   BH_SHOTS      where to save screenshots
//   BH_PARTNER_UNIT, BH_PARTNER_TASK  a responsible unit (account peihe) of a task of the reporter's unit
//   BH_CHROMIUM   the browser (default /usr/bin/chromium)
// It prints one line "RESULT {json}" with what it changed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (this script is run by crates/server/tests/browser.rs)`);
  return v;
};
const base = env('BH_BASE');
const passwords = JSON.parse(env('BH_PASSWORDS'));
const seedPlan = Number(env('BH_PLAN'));
const docx = env('BH_DOCX');
const shots = env('BH_SHOTS');
const month = env('BH_MONTH');
const partnerUnit = Number(env('BH_PARTNER_UNIT'));
const partnerTask = Number(env('BH_PARTNER_TASK'));
const reporterUnit = Number(env('BH_REPORTER_UNIT'));
const here = path.dirname(fileURLToPath(import.meta.url));
fs.mkdirSync(shots, { recursive: true });

// playwright starts Chromium with a fresh profile (user data dir) of its own.
const browser = await chromium.launch({
  executablePath: process.env.BH_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const OFFICE = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
let shotNo = 0;
const problems = [];
const result = {};

async function open(viewport = OFFICE) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|403|404|409|422)/.test(m.text())) problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`request to another site: ${r.url()}`);
  });
  return page;
}
async function shot(page, name) {
  shotNo += 1;
  await page.screenshot({ path: path.join(shots, `${String(shotNo).padStart(2, '0')}-${name}.png`), fullPage: false });
}
async function login(page, user) {
  await page.goto(`${base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', passwords[user]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}
async function step(name, fn) {
  const started = Date.now();
  await fn();
  console.log(`ok - ${name} (${Date.now() - started} ms)`);
}
const api = async (page, p) => (await page.request.get(`${base}${p}`)).json();
// Chart labels that show are inside their chart and do not overlap one
// another (rotated axis labels are compared by their clipping only: their
// boxes overlap while their words do not).
const chartsReadable = async (page, what) => {
  const bad = await page.$$eval('.chart[data-drawn]', (charts) => {
    const out = [];
    for (const chart of charts) {
      const box = chart.getBoundingClientRect();
      const texts = [...chart.querySelectorAll('svg text')].filter((t) => {
        const st = getComputedStyle(t);
        const r = t.getBoundingClientRect();
        return st.display !== 'none' && st.visibility !== 'hidden' && Number(st.opacity) > 0
          && Number(t.getAttribute('opacity') ?? 1) > 0 && Number(t.getAttribute('fill-opacity') ?? 1) > 0
          && t.textContent.trim() && r.width > 0;
      }).map((t) => ({ r: t.getBoundingClientRect(), s: t.textContent, rotated: /matrix|rotate/.test(t.getAttribute('transform') || '') && !/matrix\(1,0,0,1,/.test((t.getAttribute('transform') || '').replace(/\s/g, '')) }));
      for (const { r, s } of texts) {
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(`"${s}" is clipped (${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.right)},${Math.round(r.bottom)} in ${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.right)},${Math.round(box.bottom)})`);
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          if (texts[i].rotated || texts[j].rotated) continue;
          const a = texts[i].r; const b = texts[j].r;
          const ox = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (ox > 2 && oy > 2) out.push(`"${texts[i].s}" overlaps "${texts[j].s}"`);
        }
      }
    }
    return out;
  });
  assert.deepEqual(bad, [], `${what}: chart labels overlap or are cut off`);
};
const noOverflow = async (page, what) => {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner + 1, `${what} is wider than the phone's screen (${scroll} > ${inner})`);
};

try {
  await step('the embedded htmx and ECharts are the npm packages', async () => {
    const page = await open();
    await page.goto(`${base}/login`);
    const css = await page.getAttribute('link[rel=stylesheet]', 'href');
    const assets = css.replace(/\/app\.css$/, '');
    for (const [file, pkg] of [['echarts.min.js', 'echarts/dist/echarts.min.js'], ['htmx.min.js', 'htmx.org/dist/htmx.min.js']]) {
      const served = await (await page.request.get(`${base}${assets}/${file}`)).body();
      const npm = fs.readFileSync(path.join(here, '..', 'node_modules', pkg));
      assert.ok(served.equals(npm), `${file} served by the binary differs from web/node_modules/${pkg}: run scripts/vendor`);
    }
    await shot(page, 'login');
    await page.fill('#username', 'office');
    await page.fill('#password', 'wrong password!');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('#login-error'), /用户名或密码不正确/);
    await page.context().close();
  });

  const homes = { office: '/overview', security: '/accounts', auditor: '/audit', reporter: '/my', leader: '/overview' };
  const forbidden = { office: '/audit', security: '/plans', auditor: '/projects', reporter: '/plans/new', leader: '/plans/new' };
  for (const user of Object.keys(homes)) {
    await step(`${user} logs in, lands on ${homes[user]}, and is refused ${forbidden[user]}`, async () => {
      const page = await open();
      await login(page, user);
      assert.equal(new URL(page.url()).pathname, homes[user]);
      await shot(page, `home-${user}`);
      const resp = await page.goto(`${base}${forbidden[user]}`);
      assert.equal(resp.status(), 403, `${user} GET ${forbidden[user]}`);
      assert.match(await page.textContent('h1'), /无权访问/);
      await shot(page, `forbidden-${user}`);
      await page.goto(`${base}/`);
      if (user === 'reporter') {
        await page.goto(`${base}/my`);
        assert.ok(await page.locator('table[id^="my-lead-"] tbody tr').count() > 3, 'the reporter sees the tasks its unit leads');
      }
      if (user === 'leader') {
        const nav = await page.textContent('nav.menu');
        assert.ok(nav.includes('总览') && !nav.includes('账号') && !nav.includes('审计'), nav);
      }
      await page.click('#logout');
      await page.waitForURL(/\/login/);
      assert.equal((await page.goto(`${base}${homes[user]}`)).url().includes('/login'), true, 'logged out');
      await page.context().close();
    });
  }

  const page = await open();
  await login(page, 'office');
  let plan;

  await step('uploading: bad input is answered next to the field, nothing is stored', async () => {
    const before = (await api(page, '/api/plans')).length;
    await page.goto(`${base}/plans/new`);
    await shot(page, 'upload');
    await page.click('#upload button[type=submit]');
    await page.waitForSelector('#err-file');
    assert.match(await page.textContent('#err-file'), /请选择/);
    assert.match(await page.textContent('#err-region'), /请填写/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bighealth-upload-'));
    const pdf = path.join(dir, 'plan.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4');
    await page.setInputFiles('#file', pdf);
    assert.match(await page.textContent('.field-error.client'), /只能上传/);
    const big = path.join(dir, 'big.txt');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 64 * 1024 * 1024 + 1);
    await page.setInputFiles('#file', big);
    assert.match(await page.textContent('.field-error.client'), /文件过大/);
    await page.click('#upload button[type=submit]');
    await page.waitForTimeout(300);
    await page.setInputFiles('#file', docx);
    assert.equal(await page.locator('.field-error.client').count(), 0);
    await page.fill('#region', '999999');
    await page.click('#upload button[type=submit]');
    await page.waitForFunction(() => /不是有效/.test(document.querySelector('#err-region')?.textContent || ''));
    await shot(page, 'upload-errors');
    assert.equal((await api(page, '/api/plans')).length, before, 'no plan was stored');
    fs.rmSync(dir, { recursive: true });
  });

  await step('uploading a .docx plan opens its review', async () => {
    await page.setInputFiles('#file', docx);
    await page.fill('#region', '500114');
    await Promise.all([page.waitForURL(/\/plans\/\d+$/), page.click('#upload button[type=submit]')]);
    plan = Number(new URL(page.url()).pathname.split('/').pop());
    result.plan = plan;
    assert.ok(await page.locator('#tab-tasks .item').count() > 10, 'the tasks are read');
    await shot(page, 'review');
  });

  await step('clicking a task marks its words in the source', async () => {
    const task = page.locator('#tab-tasks .item.task').nth(2);
    await task.locator('.quote').click();
    await page.waitForSelector('#source mark');
    const marked = await page.textContent('#source mark');
    const spans = JSON.parse(await task.getAttribute('data-spans'));
    assert.equal([...marked].length, spans[0][1] - spans[0][0], 'the mark covers exactly the task span');
    const quote = (await task.locator('.quote').textContent()).trim();
    assert.ok(marked.includes(quote.slice(0, 8)), `the mark "${marked.slice(0, 40)}" holds the task's words "${quote.slice(0, 40)}"`);
    assert.ok(await task.evaluate((el) => el.classList.contains('active')));
    await shot(page, 'review-task-marked');
  });

  await step('clicking the source finds what was read there', async () => {
    await page.click('[data-tab=targets]');
    const target = page.locator('#tab-targets .item.target').first();
    const id = await target.getAttribute('id');
    const [start, end] = JSON.parse(await target.getAttribute('data-spans'))[0];
    await page.click('[data-tab=tasks]');
    // Put the pointer on a character inside the target's words.
    const at = Math.floor((start + end) / 2);
    const point = await page.evaluate((at) => {
      const source = document.getElementById('source');
      source.replaceChildren(document.createTextNode(source.textContent));
      const node = source.firstChild;
      const units = [...node.textContent].slice(0, at).join('').length;
      const range = document.createRange();
      range.setStart(node, units);
      range.setEnd(node, units + 1);
      source.scrollTop += range.getBoundingClientRect().top - source.getBoundingClientRect().top - 100;
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, at);
    await page.mouse.click(point.x, point.y);
    // The smallest item read from that character is found: the target, or
    // a finding about some of its words.
    const active = page.locator('.reading .item.active');
    await active.waitFor();
    const spans = JSON.parse(await active.getAttribute('data-spans'));
    assert.ok(spans.some(([s, e]) => s <= at && at < e), `the found item covers character ${at}`);
    assert.ok(spans.every(([s, e]) => e - s <= end - start), 'and is no larger than the target');
    assert.ok(await active.isVisible(), 'its tab is shown');
    if ((await active.getAttribute('id')) === id) assert.ok(await page.isVisible('#tab-targets'));
    await shot(page, 'review-source-clicked');
  });

  await step('correcting a target: wrong values are refused next to the field, then a right one is kept in history', async () => {
    await page.click('[data-tab=targets]');
    const target = page.locator('#tab-targets .item.target').first();
    const id = Number((await target.getAttribute('id')).replace('target-', ''));
    const before = await api(page, `/api/targets/${id}`);
    const baseYear = (await api(page, `/api/plans/${plan}`)).base_year;
    await target.locator('button', { hasText: '修改' }).click();
    const form = page.locator(`form#target-${id}`);
    await form.waitFor();
    await form.locator('[name=value]').fill('八十五');
    await form.locator('[name=year]').fill(String(baseYear - 1));
    await form.locator('button[type=submit]').click();
    await page.waitForSelector(`form#target-${id} #err-value`);
    assert.match(await page.textContent(`form#target-${id} #err-value`), /不是数字/);
    await shot(page, 'target-errors');
    await form.locator('[name=value]').fill('85');
    await form.locator('button[type=submit]').click();
    await page.waitForFunction((id) => /早于规划的基期年份/.test(document.querySelector(`form#target-${id} #err-year`)?.textContent || ''), id);
    await form.locator('[name=indicator]').fill('');
    await form.locator('[name=year]').fill(before.year === null ? '' : String(before.year));
    await form.locator('button[type=submit]').click();
    await page.waitForFunction((id) => /请填写指标名称/.test(document.querySelector(`form#target-${id} #err-indicator`)?.textContent || ''), id);
    assert.deepEqual(await api(page, `/api/targets/${id}`), before, 'the refused forms changed nothing');
    await form.locator('[name=indicator]').fill(before.indicator);
    await form.locator('[name=value]').fill('99.5');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector(`article#target-${id}.saved`);
    assert.match(await page.textContent(`#target-${id} .value`), /99\.5/);
    await page.locator(`#target-${id} button`, { hasText: '历史' }).click();
    await page.waitForSelector(`#target-${id} .history table`);
    const row = await page.textContent(`#target-${id} .history tbody tr`);
    assert.ok(row.includes('目标值') && row.includes('99.5') && row.includes('office'), row);
    await shot(page, 'target-history');
    result.target = id;
    result.old_value = before.value;
  });

  await step('a finding is accepted and a unit confirmed and another merged', async () => {
    await page.click('[data-tab=findings]');
    const open = page.locator('#tab-findings .item.finding.state-open').first();
    const fid = await open.getAttribute('id');
    await open.locator('[name=note]').fill('已与原文核对');
    await open.locator('button', { hasText: '接受' }).click();
    await page.waitForSelector(`#${fid}.state-accepted`);
    await page.click('[data-tab=units]');
    const unconfirmed = page.locator('#tab-units .item.unit:has(.badge.warn)');
    const first = await unconfirmed.first().getAttribute('id');
    await page.locator(`#${first} button.confirm`).click();
    await page.waitForFunction((id) => document.querySelector(`#${id} .badge.ok`), first);
    const second = await unconfirmed.first().getAttribute('id');
    await page.locator(`#${second} form.merge button`).click();
    await page.waitForFunction((id) => /已合并到/.test(document.querySelector(`#${id}`)?.textContent || ''), second);
    await shot(page, 'units-reviewed');
    result.finding = Number(fid.replace('finding-', ''));
    result.confirmed = Number(first.replace('unit-', ''));
    result.merged = Number(second.replace('unit-', ''));
  });

  await step('tasks by plan, segment and unit', async () => {
    await page.goto(`${base}/tasks?plan=${seedPlan}`);
    const all = await page.locator('#task-table tbody tr').count();
    await page.selectOption('select[name=segment]', '医');
    await Promise.all([page.waitForURL(/segment=/), page.click('.filters button[type=submit]')]);
    const some = await page.locator('#task-table tbody tr').count();
    assert.ok(some > 0 && some < all, `segment 医 narrows the list (${some} of ${all})`);
    await shot(page, 'tasks');
  });

  await step('targets by segment, and one indicator across regions', async () => {
    await page.goto(`${base}/targets`);
    assert.ok(await page.locator('section.segment-group').count() > 0);
    await shot(page, 'targets');
    await page.goto(`${base}/targets/compare`);
    await shot(page, 'compare');
  });

  await step('projects: the totals add up the table, with charts', async () => {
    await page.goto(`${base}/projects?plan=${seedPlan}`);
    const sum = await page.$$eval('#project-table tbody td.investment', (tds) => tds.reduce((s, td) => s + Number(td.dataset.value), 0));
    const total = Number(await page.getAttribute('#total-investment', 'data-value'));
    assert.match(await page.textContent('#total-investment'), /^[\d,.]+ (亿元|万元)$/, 'the total reads as money');
    assert.ok(Math.abs(sum - total) < 0.01, `the table's investment ${sum} = the total ${total}`);
    assert.equal(await page.locator('#project-table tbody tr').count(), Number(await page.textContent('#total-count')));
    await page.waitForSelector('.chart[data-drawn] svg');
    assert.equal(await page.locator('.chart[data-drawn]').count(), 3);
    await chartsReadable(page, 'projects at 1366×768');
    await shot(page, 'projects');
    await page.selectOption('select[name=status]', '在建');
    await Promise.all([page.waitForURL(/status=/), page.click('.filters button[type=submit]')]);
    const rows = await page.locator('#project-table tbody tr td:nth-child(5)').allTextContents();
    assert.ok(rows.every((s) => s === '在建'), rows.join(','));
  });

  await step('the leaders\' overview: regions, plans, counts and charts', async () => {
    await page.goto(`${base}/overview`);
    await page.click('#provinces a >> nth=0');
    await page.waitForURL(/region=/);
    await shot(page, 'overview-region');
    await page.goto(`${base}/plans/${seedPlan}/overview`);
    await page.waitForSelector('.chart[data-drawn] svg');
    const tasks = Number(await page.textContent('#stat-tasks'));
    const bySegment = await page.$$eval('#by-segment tbody tr td:nth-child(2)', (tds) => tds.reduce((s, td) => s + Number(td.textContent), 0));
    assert.equal(bySegment, tasks, 'tasks by segment add up to the plan\'s tasks');
    await chartsReadable(page, 'the plan overview at 1366×768');
    await shot(page, 'overview-plan');
  });

  await step('on a phone: review, projects and overview fit the screen', async () => {
    const phone = await open(PHONE);
    await login(phone, 'leader');
    for (const [p, name] of [[`/plans/${plan}`, 'phone-review'], [`/projects?plan=${seedPlan}`, 'phone-projects'], [`/plans/${seedPlan}/overview`, 'phone-overview']]) {
      await phone.goto(`${base}${p}`);
      await phone.waitForLoadState('networkidle');
      await noOverflow(phone, p);
      await chartsReadable(phone, `${p} on a phone`);
      await shot(phone, name);
    }
    await phone.context().close();
  });

  await step('a reporter fills its month on a phone; the office returns one item, it is fixed and approved', async () => {
    const form = `${base}/reporting/${seedPlan}/${month}/${reporterUnit}`;
    const phone = await open(PHONE);
    await login(phone, 'reporter');
    await phone.goto(`${base}/reporting`);
    await phone.waitForSelector('#due .due-card');
    await noOverflow(phone, '/reporting');
    await phone.goto(form);
    const items = phone.locator('fieldset.report-item');
    const n = await items.count();
    assert.ok(n > 0, 'the form lists the unit\'s items');
    for (let i = 0; i < n; i += 1) {
      const item = items.nth(i);
      const id = await item.getAttribute('id');
      if (id.startsWith('item-task-')) {
        await item.locator('select[name$=".status"]').selectOption('on_track');
        await item.locator('textarea[name$=".progress"]').fill('按序时推进');
        await item.locator('input[name$=".share"]').fill(i === 0 ? '150' : '40');
      } else if (id.startsWith('item-target-')) {
        await item.locator('input[name$=".value"]').fill('1');
      } else {
        await item.locator('input[name$=".amount"]').fill('0');
      }
    }
    const first = (await items.first().getAttribute('id')).replace('item-', '').replace('-', '.');
    await phone.click('#submit-report');
    await phone.waitForSelector(`[id="err-${first}.share"]`);
    assert.match(await phone.textContent(`[id="err-${first}.share"]`), /0–100/);
    assert.equal(await phone.inputValue(`[id="${first}.progress"]`), '按序时推进', 'what was typed is kept');
    assert.equal((await api(phone, `/api/plans/${seedPlan}/reports/${month}/${reporterUnit}`)).state, null, 'nothing was stored');
    await noOverflow(phone, 'the form on a phone');
    await shot(phone, 'phone-report-error');
    await phone.fill(`[id="${first}.share"]`, '40');
    await Promise.all([phone.waitForURL(/note=submitted/), phone.click('#submit-report')]);
    assert.match(await phone.textContent('#form-state'), /已报送/);
    await shot(phone, 'phone-report-submitted');

    const office = await open();
    await login(office, 'office');
    await office.goto(`${base}/reporting/${seedPlan}/${month}`);
    assert.match(await office.textContent(`#queue #unit-${reporterUnit}`), /已报送/);
    await office.goto(form);
    await office.fill(`[id="reason.${first}"]`, '请写明具体完成了哪些工作');
    await Promise.all([office.waitForURL(/note=return/), office.click('#return')]);
    assert.match(await office.textContent('#form-state'), /已退回/);

    await phone.goto(form);
    assert.match(await phone.textContent(`[id="item-${first.replace('.', '-')}"]`), /请写明具体完成了哪些工作/);
    await phone.fill(`[id="${first}.progress"]`, '完成项目选址和立项');
    await Promise.all([phone.waitForURL(/note=submitted/), phone.click('#submit-report')]);
    await phone.context().close();

    await office.goto(form);
    await Promise.all([office.waitForURL(/note=approve/), office.click('#approve')]);
    assert.match(await office.textContent('#form-state'), /已审核/);
    await office.goto(`${form}/versions`);
    assert.ok(await office.locator('#versions td.changed').count() > 0, 'the versions show what changed');
    await shot(office, 'report-versions');
    await office.context().close();
    result.report = { plan: seedPlan, month, unit: reporterUnit };
  });

  await step('a responsible unit writes its part on a phone (a text too long refused beside it); the lead unit sees it beside the task', async () => {
    const phone = await open(PHONE);
    await login(phone, 'peihe');
    await phone.goto(`${base}/reporting`);
    await phone.waitForSelector('#parts-due a.card');
    const parts = `${base}/reporting/${seedPlan}/${month}/${partnerUnit}/parts`;
    await phone.goto(parts);
    const field = `[id="progress.${partnerTask}"]`;
    await phone.fill(field, '很'.repeat(5001));
    await phone.click('#save-parts');
    await phone.waitForSelector(`[id="err-progress.${partnerTask}"]`);
    assert.equal((await phone.inputValue(field)).length, 5001, 'what was typed is kept');
    await noOverflow(phone, 'the parts page on a phone');
    await phone.fill(field, '已完成选址，正在办理用地手续');
    await Promise.all([phone.waitForURL(/note=saved/), phone.click('#save-parts')]);
    await shot(phone, 'phone-parts-saved');
    await phone.context().close();
    const lead = await open();
    await login(lead, 'reporter');
    await lead.goto(`${base}/reporting/${seedPlan}/${month}/${reporterUnit}`);
    assert.match(await lead.textContent(`#item-task-${partnerTask}`), /已完成选址，正在办理用地手续/);
    await lead.context().close();
    result.part = { task: partnerTask, unit: partnerUnit };
  });

  await step('the leaders\' analysis: the approved month judged against 序时, charted and filtered', async () => {
    const p = await open();
    await login(p, 'leader');
    await p.goto(`${base}/analysis`);
    await p.waitForSelector(`#analysis-plan-${seedPlan}`);
    await p.goto(`${base}/analysis?plan=${seedPlan}&period=${month}`);
    await p.waitForSelector('#analysis-items tbody tr[data-status]');
    await p.waitForSelector('.chart[data-drawn] svg');
    const rows = await p.locator('#analysis-items tbody tr[data-status]').count();
    const first = await p.locator('#analysis-items tbody tr[data-status]').first().getAttribute('data-status');
    await Promise.all([p.waitForURL(/status=/), p.selectOption('#analysis-status', first)]);
    const kept = await p.$$eval('#analysis-items tbody tr[data-status]', (rs) => rs.map((r) => r.dataset.status));
    assert.ok(kept.length > 0 && kept.every((x) => x === first), `the filter keeps only ${first}: ${kept}`);
    await noOverflow(p, '/analysis');
    await shot(p, 'analysis-plan');
    await p.context().close();
    result.analysis = { plan: seedPlan, month, rows };
  });

  await step('统计监测: the office imports statistics, a leader reads the province, ranks the counties, drills down', async () => {
    const office = await open();
    await login(office, 'office');
    await office.goto(`${base}/statistics/indicators`);
    const csv = '指标代码,地区代码,期别,数值\nPOP,522601,2025,55\nPOP,522622,2025,35\nQY_REVENUE,522601,2026-06,1200\nQY_REVENUE,522622,2026-06,800\nQY_REVENUE,522622,2026-13,1\n';
    await office.setInputFiles('#values-file', { name: '统计数据.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await office.click('#values-import');
    await office.waitForSelector('#err-file');
    assert.match(await office.textContent('#err-file'), /C6/, 'the wrong cell is named');
    await office.setInputFiles('#values-file', { name: '统计数据.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.split('\n').slice(0, 5).join('\n')) });
    await office.click('#values-import');
    await office.waitForSelector('#indicators-note');
    await office.context().close();
    const p = await open();
    await login(p, 'leader');
    await p.goto(`${base}/statistics?region=522600&period=2026-06&indicator=QY_REVENUE`);
    await p.waitForSelector('.chart[data-drawn] svg');
    const ranked = await p.$$eval('#region-ranking tbody tr[id^="rank-"]', (rs) => rs.map((r) => r.id));
    assert.deepEqual(ranked.slice(0, 2), ['rank-522601', 'rank-522622'], `ranked, the largest first: ${ranked}`);
    const province = await p.textContent('#figure-QY_REVENUE');
    assert.match(province, /2,000|2000/, "the city is its counties' sum");
    await noOverflow(p, '/statistics');
    await shot(p, 'statistics-region');
    await Promise.all([p.waitForURL(/region=522601/), p.click('#rank-522601 a')]);
    assert.match(await p.textContent('#region-crumbs'), /黔东南/, 'the way back up');
    await p.context().close();
    result.statistics = { ranked };
  });

  await step('年度考核: the office scores a checklist item (a wrong figure refused), the unit assesses itself on a phone, the office publishes, the public reads the plan without a login', async () => {
    const year = month.slice(0, 4);
    const office = await open();
    office.on('dialog', (d) => d.accept());
    await login(office, 'office');
    await office.goto(`${base}/assessment/${seedPlan}/${year}`);
    await office.waitForSelector(`#assessment-unit-${reporterUnit}`);
    await shot(office, 'assessment-year');
    await Promise.all([office.waitForURL(/units/), office.click(`#assessment-unit-${reporterUnit} a`)]);
    await office.selectOption('#entry-kind', 'points');
    await office.fill('#entry-points', '12');
    await office.fill('#entry-reason', '专班、例会、资金齐备');
    await office.click('#entry-save');
    await office.waitForSelector('#err-entry-points');
    assert.equal(await office.inputValue('#entry-reason'), '专班、例会、资金齐备', 'what was typed is kept');
    await office.fill('#entry-points', '9');
    await Promise.all([office.waitForURL(/note=entered/), office.click('#entry-save')]);
    assert.match(await office.textContent('#item-mechanism'), /9 分/, 'the checklist item now scores');
    assert.match(await office.textContent('#item-reporting'), /应报/, 'every item says why');
    await shot(office, 'assessment-unit');

    const phone = await open(PHONE);
    await login(phone, 'reporter');
    await phone.goto(`${base}/assessment/${seedPlan}/${year}/units/${reporterUnit}`);
    await phone.fill('#score-targets', '40');
    await phone.fill('#self-note', '按月报送，目标过半');
    await Promise.all([phone.waitForURL(/note=self/), phone.click('#self-save')]);
    await noOverflow(phone, 'a unit\'s assessment on a phone');
    await phone.context().close();

    await office.goto(`${base}/assessment/${seedPlan}/${year}`);
    await Promise.all([office.waitForURL(/note=published/), office.click('#assessment-publish')]);
    const number = (await office.textContent('#assessment-published')).match(/健考〔\d{4}〕\d+号/)[0];
    await office.goto(`${base}/plans/${seedPlan}/disclosure`);
    await office.check('#disclose-public');
    await Promise.all([office.waitForURL(/note=saved/), office.click('#disclosure-save')]);
    await office.context().close();

    const visitor = await open(PHONE);
    await visitor.goto(`${base}/public/plans/${seedPlan}`);
    await visitor.waitForSelector('#public-title');
    await visitor.waitForSelector('#public-targets');
    await noOverflow(visitor, 'the public page on a phone');
    await shot(visitor, 'public-plan');
    const text = await visitor.textContent('main');
    assert.ok(!text.includes('按月报送') && !text.includes('专班'), 'nothing private on the public page');
    await visitor.context().close();
    result.assessment = { number, year: Number(year) };
  });

  await step('supervision: the office gives an item, the unit answers it on a phone, the office closes it', async () => {
    const office = await open();
    office.on('dialog', (d) => d.accept());
    await login(office, 'office');
    await office.goto(`${base}/supervision/new?plan=${seedPlan}`);
    await office.fill('#body', '区政府常务会议议定：年底前建成医养结合试点2个。');
    await office.selectOption('#source', 'meeting');
    await office.click('#new-item-submit');
    await office.waitForSelector('#err-title');
    assert.equal(await office.inputValue('#body'), '区政府常务会议议定：年底前建成医养结合试点2个。', 'what was typed is kept');
    await office.fill('#title', '推进医养结合试点');
    await office.selectOption('#lead_unit', String(reporterUnit));
    await Promise.all([office.waitForURL(/note=opened/), office.click('#new-item-submit')]);
    const number = (await office.textContent('#item-number')).trim();
    assert.match(number, /^督办〔\d{4}〕\d+号$/);
    const item = Number(new URL(office.url()).pathname.split('/').pop());
    await shot(office, 'supervision-item');

    const phone = await open(PHONE);
    await login(phone, 'reporter');
    await phone.goto(`${base}/supervision/inbox`);
    await phone.waitForSelector(`#inbox-item-${item}`);
    await noOverflow(phone, '/supervision/inbox');
    await phone.goto(`${base}/supervision/${item}`);
    await Promise.all([phone.waitForURL(/note=sign/), phone.click('#step-sign')]);
    await phone.click('#step-plan');
    await phone.waitForSelector('#step-plan-form .field-error');
    await phone.fill('#step-plan-note', '问题：场地未落实；措施：利用闲置卫生院改建；责任人：王五；时限：12月底');
    await Promise.all([phone.waitForURL(/note=plan/), phone.click('#step-plan')]);
    await phone.fill('#step-ask_close-note', '两个试点已挂牌运行');
    await Promise.all([phone.waitForURL(/note=ask_close/), phone.click('#step-ask_close')]);
    await noOverflow(phone, 'an item on a phone');
    await shot(phone, 'phone-supervision-item');
    await phone.context().close();

    await office.goto(`${base}/supervision/${item}`);
    await Promise.all([office.waitForURL(/note=accept/), office.click('#step-accept')]);
    assert.match(await office.textContent('#item-badges'), /已办结/);
    assert.equal(await office.locator('#timeline li').count(), 5, 'every step is in the timeline');
    await office.goto(`${base}/supervision?plan=${seedPlan}`);
    await office.waitForSelector(`#item-${item}`);
    await shot(office, 'supervision-ledger');
    await office.goto(`${base}/supervision/rules?plan=${seedPlan}`);
    await office.check('[id="rule.task_lagging.enabled"]');
    await office.check('[id="rule.target_behind.enabled"]');
    await office.click('#rules-dry-run');
    await office.waitForSelector('#run-report');
    await office.context().close();
    result.supervision = { item, number };
  });

  await step('no page shows a code: every word a user sees is Chinese', async () => {
    // A code like `annex_number_mismatch`, `update_target` or `manage_plans`
    // in a page's text is an untranslated code.
    const code = /\b[a-z]+_[a-z_]+\b/;
    const check = async (p, what) => {
      const text = await p.evaluate(() => document.body.innerText);
      const found = text.match(code);
      assert.ok(!found, `${what} shows the code "${found && found[0]}"`);
    };
    for (const user of Object.keys(passwords)) {
      const p = await open();
      await login(p, user);
      const menu = await p.$$eval('nav.menu a', (as) => as.map((a) => a.getAttribute('href')).filter((h) => h && h.startsWith('/')));
      for (const href of menu) {
        await p.goto(`${base}${href}`);
        await check(p, `${user}'s ${href}`);
      }
      if (user === 'office' || user === 'reporter') {
        await p.goto(`${base}/plans/${seedPlan}`);
        for (const tab of await p.$$eval('button[data-tab]', (bs) => bs.map((b) => b.dataset.tab))) {
          await p.click(`button[data-tab="${tab}"]`);
          await check(p, `${user}'s review, tab ${tab}`);
        }
        await p.click('button[data-tab="tasks"]');
        const history = p.locator('#tab-tasks button', { hasText: '历史' }).first();
        if (await history.count()) {
          await history.click();
          await p.waitForSelector('#tab-tasks .history-list');
          await check(p, `${user}'s task history`);
        }
      }
      await p.context().close();
    }
  });

  await page.context().close();
  assert.deepEqual(problems, [], 'no page errors, console errors or requests to other sites');
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (e) {
  console.error(`FAILED: ${e.stack || e}`);
  if (problems.length) console.error(`also seen:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
