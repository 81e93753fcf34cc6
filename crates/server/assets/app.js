// bighealth's own script: messages for failed requests, charts, the review
// page's linking of reading and source, tabs, and the upload form's checks.
// No inline scripts anywhere (the Content-Security-Policy forbids them).
(() => {
  'use strict';

  // ---- messages
  const toast = (text) => {
    const el = document.getElementById('toast');
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(() => { el.hidden = true; }, 8000);
  };
  document.addEventListener('htmx:responseError', (e) => {
    const xhr = e.detail.xhr;
    let text = '';
    try {
      const doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      const msg = doc.querySelector('.error-message');
      const title = doc.querySelector('h1');
      text = [title && title.textContent.trim(), msg && msg.textContent.trim()].filter(Boolean).join('：');
    } catch (_) { /* not HTML */ }
    toast(text || `操作失败（${xhr.status}）`);
  });
  document.addEventListener('htmx:sendError', () => toast('无法连接服务器，请检查网络后重试'));

  // ---- charts (ECharts, loaded only on pages that have charts)
  // Numbers as a clerk reads them: thousands separators; sums of 10 亿元 and
  // more in 亿元 rather than 万元.
  const fmt = (v) => Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  const inYi = (c) => {
    if (c.unit !== '万元' || Math.max(0, ...c.values.map((v) => Math.abs(v))) < 100000) return c;
    return { ...c, unit: '亿元', title: c.title.replace('万元', '亿元'), values: c.values.map((v) => Math.round(v / 100) / 100) };
  };
  const chartOption = (given, width) => {
    const c = inYi(given);
    const narrow = width < 560;
    const base = {
      animation: false,
      title: { text: c.title, left: 'center', textStyle: { fontSize: 14, fontWeight: 'normal', width: width - 16, overflow: 'truncate' } },
      tooltip: { trigger: c.kind === 'pie' ? 'item' : 'axis', valueFormatter: (v) => `${fmt(v)} ${c.unit || ''}`, confine: true },
      grid: { left: 8, right: 24, bottom: 8, top: 44, containLabel: true },
      color: ['#1f6f8b', '#99a8b2', '#e6a400', '#3a9d5d', '#c0392b', '#8e44ad', '#d35400', '#16a085'],
    };
    if (c.kind === 'pie') {
      return { ...base, series: [{ type: 'pie', radius: narrow ? ['22%', '42%'] : ['32%', '60%'], top: 30,
        data: c.labels.map((name, i) => ({ name, value: c.values[i] })),
        label: { formatter: '{b}\n{d}%', overflow: 'truncate', width: Math.max(56, Math.floor(width / 5)), alignTo: 'edge', edgeDistance: 8 },
        labelLayout: { hideOverlap: true } }] };
    }
    if (c.kind === 'stack') {
      return { ...base, legend: { bottom: 0, type: 'scroll' }, grid: { ...base.grid, bottom: 36 },
        xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: fmt, hideOverlap: true } },
        yAxis: { type: 'category', data: c.labels },
        series: c.series.map((s) => ({ type: 'bar', stack: 'all', name: s.name, data: s.values, itemStyle: { color: s.colour },
          label: { show: true, formatter: (p) => (p.value ? fmt(p.value) : '') }, labelLayout: { hideOverlap: true } })) };
    }
    if (c.kind === 'hbar') {
      return { ...base, xAxis: { type: 'value', minInterval: c.unit === '项' ? 1 : 0, axisLabel: { formatter: fmt, hideOverlap: true } },
        yAxis: { type: 'category', data: [...c.labels].reverse(),
          axisLabel: { interval: 0, width: narrow ? 84 : 130, overflow: 'truncate', hideOverlap: true } },
        series: [{ type: 'bar', data: [...c.values].reverse(),
          label: { show: true, position: 'right', formatter: (p) => fmt(p.value) }, labelLayout: { hideOverlap: true } }] };
    }
    const rotate = c.labels.length > 5 || narrow ? 30 : 0;
    // A rotated first label reaches left of the axis: room for it.
    return { ...base, grid: { ...base.grid, left: rotate ? 32 : 8 },
      xAxis: { type: 'category', data: c.labels,
        axisLabel: { interval: 0, rotate, width: narrow ? 64 : 90, overflow: 'truncate', hideOverlap: true } },
      yAxis: { type: 'value', name: c.unit || '', minInterval: c.unit === '项' ? 1 : 0, axisLabel: { formatter: fmt, hideOverlap: true } },
      series: [{ type: 'bar', data: c.values,
        label: { show: c.values.length <= (narrow ? 6 : 12), position: 'top', formatter: (p) => fmt(p.value) }, labelLayout: { hideOverlap: true } }] };
  };
  const drawCharts = (root) => {
    if (typeof echarts === 'undefined') return;
    root.querySelectorAll('.chart[data-chart]').forEach((el) => {
      if (el.dataset.drawn) return;
      const chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption(chartOption(JSON.parse(el.dataset.chart), el.clientWidth || 600));
      el.dataset.drawn = '1';
      el._chart = chart;
    });
  };
  window.addEventListener('resize', () => {
    document.querySelectorAll('.chart[data-drawn]').forEach((el) => el._chart && el._chart.resize());
  });

  // ---- filters that apply as soon as they change
  document.addEventListener('change', (e) => {
    if (e.target.matches('select[data-autosubmit]')) e.target.form.requestSubmit();
  });

  // ---- tabs
  const showTab = (name) => {
    document.querySelectorAll('[data-tab]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
    document.querySelectorAll('.tab-panel').forEach((p) => { p.hidden = p.id !== `tab-${name}`; });
  };
  document.addEventListener('click', (e) => {
    const b = e.target.closest('[data-tab]');
    if (b) showTab(b.dataset.tab);
  });

  // ---- the review page: reading ⇄ source
  const source = document.getElementById('source');
  if (source) {
    const text = source.textContent;
    // Spans count characters (code points); the DOM counts UTF-16 units.
    let cpToUnit = null;
    if (/[\uD800-\uDFFF]/.test(text)) {
      cpToUnit = [];
      let u = 0;
      for (const ch of text) { cpToUnit.push(u); u += ch.length; }
      cpToUnit.push(u);
    }
    const toUnit = (i) => (cpToUnit ? cpToUnit[Math.min(Math.max(i, 0), cpToUnit.length - 1)] : i);
    const toCp = (u) => {
      if (!cpToUnit) return u;
      let lo = 0; let hi = cpToUnit.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (cpToUnit[mid] <= u) lo = mid; else hi = mid - 1; }
      return lo;
    };
    const spansOf = (item) => { try { return JSON.parse(item.dataset.spans || '[]'); } catch (_) { return []; } };

    const mark = (spans) => {
      const ranges = spans.map(([s, e]) => [toUnit(s), toUnit(e)]).filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
      const frag = document.createDocumentFragment();
      let pos = 0; let first = null;
      for (const [s, e] of ranges) {
        if (e <= pos) continue;
        if (s > pos) frag.append(text.slice(pos, s));
        const m = document.createElement('mark');
        m.textContent = text.slice(Math.max(s, pos), e);
        frag.append(m);
        first = first || m;
        pos = e;
      }
      frag.append(text.slice(pos));
      source.replaceChildren(frag);
      if (first) first.scrollIntoView({ block: 'center' });
    };

    const activate = (item, fromSource) => {
      document.querySelectorAll('.reading .item.active').forEach((x) => x.classList.remove('active'));
      item.classList.add('active');
      mark(spansOf(item));
      if (fromSource) {
        const panel = item.closest('.tab-panel');
        if (panel) showTab(panel.id.replace('tab-', ''));
        item.scrollIntoView({ block: 'nearest' });
      }
    };

    document.addEventListener('click', (e) => {
      const item = e.target.closest('.reading .item[data-spans]');
      if (!item || e.target.closest('button, a, input, select, textarea, label, .history')) return;
      activate(item, false);
    });

    const offsetAt = (x, y) => {
      let node; let off;
      if (document.caretPositionFromPoint) {
        const p = document.caretPositionFromPoint(x, y);
        if (!p) return null;
        node = p.offsetNode; off = p.offset;
      } else if (document.caretRangeFromPoint) {
        const r = document.caretRangeFromPoint(x, y);
        if (!r) return null;
        node = r.startContainer; off = r.startOffset;
      } else return null;
      if (!source.contains(node)) return null;
      const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
      let total = 0; let n;
      while ((n = walker.nextNode())) {
        if (n === node) return toCp(total + off);
        total += n.length;
      }
      return null;
    };

    // Every item's words, by kind and id: items not loaded yet are found here
    // and fetched on demand.
    let index = [];
    try { index = JSON.parse(document.getElementById('span-index').textContent); } catch (_) { index = []; }
    const plan = document.getElementById('tab-tasks')?.dataset.plan;
    // The item `kind-id` (`task-12`), fetched into its tab when not loaded yet.
    const itemOf = async (kind, id) => {
      const found = document.getElementById(`${kind}-${id}`);
      if (found) return found;
      if (!plan) return null;
      const resp = await fetch(`/plans/${plan}/items/${kind}s?id=${id}`, { headers: { 'HX-Request': 'true' } });
      if (!resp.ok) return null;
      const panel = document.getElementById(`tab-${kind}s`);
      const lazy = panel.querySelector('.lazy');
      const holder = document.createElement('div');
      holder.className = 'found';
      holder.innerHTML = await resp.text();
      if (lazy) lazy.before(holder); else panel.prepend(holder);
      if (window.htmx) window.htmx.process(holder);
      return document.getElementById(`${kind}-${id}`);
    };

    source.addEventListener('click', async (e) => {
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return; // the user is selecting text
      const at = offsetAt(e.clientX, e.clientY);
      if (at === null) return;
      let best = null; let bestLen = Infinity;
      for (const [kind, id, s, end] of index) {
        if (s <= at && at < end && end - s < bestLen) { best = [kind, id]; bestLen = end - s; }
      }
      const item = best && await itemOf(best[0], best[1]);
      if (item) activate(item, true);
      else toast('此处没有识别出任务、目标、项目或问题');
    });

    // A link to /plans/N#task-M opens that item.
    const fromHash = async () => {
      const id = decodeURIComponent(location.hash.slice(1));
      const m = /^(task|target|project|finding)-(\d+)$/.exec(id || '');
      const item = m ? await itemOf(m[1], m[2]) : (id && document.getElementById(id));
      if (item && item.matches('.item')) activate(item, true);
      else if (id === 'findings') showTab('findings');
    };
    window.addEventListener('hashchange', fromHash);
    fromHash();
  }

  // ---- upload: say at once when a file is too large or of the wrong kind
  document.addEventListener('change', (e) => {
    const input = e.target;
    if (!input.matches('input[type=file][data-max-bytes]')) return;
    const field = input.closest('.field');
    let msg = field.querySelector('.field-error.client');
    const file = input.files[0];
    let problem = '';
    if (file && file.size > Number(input.dataset.maxBytes)) {
      problem = `文件过大：不能超过 ${input.dataset.maxLabel}`;
    } else if (file && !input.accept.split(',').some((ext) => file.name.toLowerCase().endsWith(ext))) {
      problem = `不支持“${file.name}”：只能上传 .docx、.txt、.html 或 .xlsx 文件`;
    }
    if (problem) {
      if (!msg) { msg = document.createElement('p'); msg.className = 'field-error client'; field.append(msg); }
      msg.textContent = problem;
      input.setAttribute('aria-invalid', 'true');
    } else if (msg) {
      msg.remove();
      input.removeAttribute('aria-invalid');
    }
  });
  document.addEventListener('htmx:confirm', (e) => {
    // A file the page already refused is not sent.
    const form = e.target.closest && e.target.closest('form');
    if (form && form.querySelector('.field-error.client')) { e.preventDefault(); }
  });
  document.addEventListener('htmx:xhr:progress', (e) => {
    const bar = document.getElementById('upload-progress');
    if (bar && e.detail.lengthComputable) bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
  });

  document.addEventListener('htmx:afterSwap', (e) => drawCharts(e.detail.target));
  // A report form sent back with errors: bring the first wrong field into view.
  document.addEventListener('htmx:afterSettle', () => {
    const wrong = document.querySelector('.report-form .has-error');
    if (wrong) {
      wrong.scrollIntoView({ block: 'center' });
      const input = wrong.querySelector('input, select, textarea');
      if (input) input.focus({ preventScroll: true });
    }
  });
  const start = () => drawCharts(document);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
