'use strict';
// Views: login -> (annotator) queue -> patch editor; (coordinator/auditor) campaigns -> campaign detail.
(() => {
  const $ = sel => document.querySelector(sel);
  let me = null;          // {user, roles}
  let editor = null;      // MaskEditor of the open patch
  let openPatch = null;   // queue item being edited
  let busy = false;

  function show(view) {
    document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + view; });
    document.body.dataset.view = view;
  }
  function message(text, kind) {
    const m = $('#message');
    m.textContent = text || '';
    m.className = kind || '';
  }
  function fail(e) {
    if (e instanceof Api.ApiError && e.status === 401) {
      Api.logout(); me = null; show('login'); message('Please log in: ' + e.message, 'error');
      return;
    }
    message(e.message || String(e), 'error');
  }
  const has = role => me && me.roles.includes(role);
  const fmtTime = t => t ? new Date(t).toLocaleString() : '';
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    });
    children.forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
    return e;
  }
  function applyRoles() {
    document.querySelectorAll('[data-role]').forEach(n => {
      n.hidden = !n.dataset.role.split(' ').some(has);
    });
  }

  // ---- login ----
  $('#login-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    Api.login($('#login-user').value, $('#login-password').value);
    await start();
  });
  $('#logout').addEventListener('click', () => { Api.logout(); me = null; $('#nav').hidden = true; $('#whoami').textContent = ''; location.hash = ''; show('login'); });

  async function start() {
    try {
      me = await Api.json('GET', '/api/me');
    } catch (e) {
      Api.logout();
      show('login');
      message(e.status === 401 ? 'Wrong user name or password.' : e.message, 'error');
      return;
    }
    message('');
    $('#whoami').textContent = me.user + ' (' + me.roles.join(', ') + ')';
    $('#nav').hidden = false;
    applyRoles();
    const target = location.hash.replace('#', '');
    if (target) route(); else location.hash = has('annotator') ? 'queue' : 'campaigns';
  }

  function route() {
    if (!me) return;
    const [view, arg] = location.hash.replace('#', '').split('/');
    if (view === 'queue' && has('annotator')) loadQueue();
    else if (view === 'campaigns') loadCampaigns();
    else if (view === 'campaign' && arg) loadCampaign(decodeURIComponent(arg));
    else if (view === 'patch' && openPatch) show('patch');
    else location.hash = has('annotator') ? 'queue' : 'campaigns';
  }
  window.addEventListener('hashchange', route);

  // ---- annotator queue ----
  async function loadQueue() {
    show('queue');
    try {
      const items = await Api.json('GET', '/api/me/queue');
      const body = $('#queue-table tbody');
      body.replaceChildren();
      items.forEach(it => {
        const tr = el('tr', { class: 'clickable queue-item', 'data-patch': it.patchId, 'data-campaign': it.campaignId },
          el('td', {}, it.title || it.campaignId), el('td', {}, it.cycle), el('td', {}, it.patchId),
          el('td', {}, it.width + '×' + it.height), el('td', { class: 'state-' + it.state.toLowerCase() }, it.state),
          el('td', {}, fmtTime(it.deadline)));
        tr.addEventListener('click', () => openPatchView(it));
        body.append(tr);
      });
      $('#queue-empty').hidden = items.length > 0;
      $('#queue-table').hidden = items.length === 0;
    } catch (e) { fail(e); }
  }

  async function bitmapOr404(path) {
    try { return await createImageBitmap(await Api.blob(path)); }
    catch (e) { if (e.status === 404) return null; throw e; }
  }

  async function openPatchView(item) {
    message('Loading patch ' + item.patchId + '…');
    const base = '/api/campaigns/' + encodeURIComponent(item.campaignId) + '/patches/' + encodeURIComponent(item.patchId);
    try {
      const [image, prediction, uncertainty] = await Promise.all([
        createImageBitmap(await Api.blob(base + '/image')), bitmapOr404(base + '/prediction'), bitmapOr404(base + '/uncertainty')]);
      openPatch = item;
      editor = MaskEditor.create($('#stage'), image, prediction, uncertainty);
      editor.setRadius(+$('#brush-size').value);
      editor.setOpacity($('#opacity').value / 100);
      $('#heat-toggle').checked = false;
      $('#heat-toggle').disabled = !editor.hasHeat;
      selectTool('brush');
      fitStage();
      const info = () => { $('#patch-info').textContent = `${item.title || item.campaignId} · cycle ${item.cycle} · patch ${item.patchId} · ${item.width}×${item.height} · deadline ${fmtTime(item.deadline)} · foreground ${editor.foreground()} px, changed ${editor.changedPixels()} px`; };
      editor.onChange(info); info();
      $('#stage').dataset.ready = 'true';
      location.hash = 'patch';
      show('patch');
      $('#stage').focus();
      message(prediction ? 'Starting from the model\'s prediction.' : 'No prediction stored: starting from an empty mask.');
    } catch (e) { fail(e); }
  }

  // Show large patches scaled down to the window, small ones scaled up (pixelated) for precise work.
  function fitStage() {
    const maxW = Math.max(200, window.innerWidth - 60), maxH = Math.max(200, window.innerHeight * 0.75);
    const s = Math.min(maxW / editor.width, maxH / editor.height, 4);
    $('#stage').style.width = Math.round(editor.width * s) + 'px';
    $('#stage').style.height = Math.round(editor.height * s) + 'px';
  }
  window.addEventListener('resize', () => { if (editor) fitStage(); });

  function selectTool(t) {
    if (!editor) return;
    editor.setTool(t);
    document.querySelectorAll('[data-tool]').forEach(b => b.classList.toggle('active', b.dataset.tool === t));
  }
  document.querySelectorAll('[data-tool]').forEach(b => b.addEventListener('click', () => selectTool(b.dataset.tool)));
  $('#brush-size').addEventListener('input', e => editor && editor.setRadius(+e.target.value));
  $('#opacity').addEventListener('input', e => editor && editor.setOpacity(e.target.value / 100));
  $('#heat-toggle').addEventListener('change', e => editor && editor.toggleHeat(e.target.checked));
  $('#undo').addEventListener('click', () => editor && editor.undo());
  $('#redo').addEventListener('click', () => editor && editor.redo());
  $('#reset-prediction').addEventListener('click', () => editor && editor.reset());
  $('#submit').addEventListener('click', submit);
  $('#skip').addEventListener('click', skip);

  function newAnnotationId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
  }

  async function submit() {
    if (!editor || !openPatch || busy) return;
    busy = true;
    message('Submitting…');
    try {
      const blob = await editor.toPngBlob();
      const url = '/api/campaigns/' + encodeURIComponent(openPatch.campaignId) + '/patches/' + encodeURIComponent(openPatch.patchId)
        + '/annotation?annotationId=' + encodeURIComponent(newAnnotationId());
      const res = await Api.upload(url, blob, 'image/png');
      message('Submitted ' + openPatch.patchId + ': ' + (res.message || res.status), 'ok');
      closePatch();
    } catch (e) { fail(e); } finally { busy = false; }
  }

  async function skip() {
    if (!editor || !openPatch || busy) return;
    const reason = prompt('Why skip this patch? (e.g. out of focus, no tissue)');
    if (reason === null) return;
    if (!reason.trim()) { message('A reason is required to skip a patch.', 'error'); return; }
    busy = true;
    try {
      await Api.json('POST', '/api/campaigns/' + encodeURIComponent(openPatch.campaignId) + '/patches/' + encodeURIComponent(openPatch.patchId) + '/skip', { reason });
      message('Skipped ' + openPatch.patchId + '.', 'ok');
      closePatch();
    } catch (e) { fail(e); } finally { busy = false; }
  }

  function closePatch() {
    editor = null; openPatch = null;
    $('#stage').dataset.ready = 'false';
    location.hash = 'queue';
  }

  document.addEventListener('keydown', ev => {
    if (document.body.dataset.view !== 'patch' || !editor) return;
    if (ev.target.tagName === 'INPUT' && ev.target.type !== 'range' && ev.target.type !== 'checkbox') return;
    const k = ev.key.toLowerCase();
    if ((ev.ctrlKey || ev.metaKey) && k === 'z' && !ev.shiftKey) { editor.undo(); ev.preventDefault(); return; }
    if ((ev.ctrlKey || ev.metaKey) && (k === 'y' || (k === 'z' && ev.shiftKey))) { editor.redo(); ev.preventDefault(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (k === 'b') selectTool('brush');
    else if (k === 'e') selectTool('eraser');
    else if (k === 'p') selectTool('polygon');
    else if (k === 'h') { if (editor.hasHeat) $('#heat-toggle').checked = editor.toggleHeat(); }
    else if (k === '[') { $('#brush-size').value = Math.max(1, editor.radius - 2); editor.setRadius(+$('#brush-size').value); }
    else if (k === ']') { $('#brush-size').value = Math.min(80, editor.radius + 2); editor.setRadius(+$('#brush-size').value); }
    else if (k === 'enter') { if (editor.polygonOpen) editor.finishPolygon(); else submit(); }
    else if (k === 'escape') { if (editor.polygonOpen) editor.finishPolygon(); else closePatch(); }
    else return;
    ev.preventDefault();
  });

  // ---- coordinator / auditor ----
  async function loadCampaigns() {
    show('campaigns');
    try {
      const list = await Api.json('GET', '/api/campaigns');
      const body = $('#campaigns-table tbody');
      body.replaceChildren();
      list.forEach(c => {
        const tr = el('tr', { class: 'clickable campaign-row', 'data-campaign': c.campaignId },
          el('td', {}, c.campaignId), el('td', {}, c.title), el('td', {}, c.phase), el('td', {}, c.cycle),
          el('td', {}, c.patchesDone + ' / ' + c.patchesTotal), el('td', {}, fmtTime(c.createdAt)));
        tr.addEventListener('click', () => { location.hash = 'campaign/' + encodeURIComponent(c.campaignId); });
        body.append(tr);
      });
    } catch (e) { fail(e); }
  }

  $('#slide-upload').addEventListener('click', async () => {
    const files = $('#slide-file').files;
    const whole = $('#slide-whole').checked;
    const keys = [];
    try {
      for (const f of files) {
        const id = f.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
        const path = whole ? '/api/slides?kind=slide&id=' + encodeURIComponent(id)
          : '/api/slides?dataset=uploads&id=' + encodeURIComponent(id);
        const r = await Api.upload(path, f, f.type || 'application/octet-stream');
        keys.push(r.key + ' (' + r.width + '×' + r.height + ' ' + r.format + (r.levels ? ', ' + r.levels + ' levels' : '') + ')');
      }
      $('#slide-keys').textContent = keys.join('\n');
      message('Uploaded ' + keys.length + (whole ? ' slide(s).' : ' tile(s).'), 'ok');
      loadCandidates();
    } catch (e) { fail(e); }
  });

  // Pool candidates: dataset tiles (pool entry = tile id within localData.datasetPrefix) and whole slides
  // (pool entry = the slides/<id>/<file> key). Ticked ones go into the spec in the text area.
  let candidates = [];
  const previewUrls = [];
  const fmtBytes = n => n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MiB' : n >= 1024 ? (n / 1024).toFixed(0) + ' KiB' : n + ' B';
  async function loadCandidates() {
    try {
      candidates = await Api.json('GET', '/api/slides/candidates');
      previewUrls.splice(0).forEach(u => URL.revokeObjectURL(u));
      const body = $('#candidates-table tbody');
      body.replaceChildren();
      candidates.forEach((c, i) => {
        const tick = el('input', { type: 'checkbox', 'data-candidate': i, 'data-key': c.key });
        if (!c.usable) tick.disabled = true;
        const preview = el('td', { class: 'preview' });
        if (c.previewUrl) {
          Api.blob(c.previewUrl).then(b => {
            const url = URL.createObjectURL(b);
            previewUrls.push(url);
            preview.append(el('img', { src: url, alt: 'preview of ' + c.key }));
          }).catch(() => preview.append('–'));
        }
        body.append(el('tr', { class: c.usable ? 'candidate-' + c.kind : 'candidate-unusable', title: c.problem || c.key },
          el('td', {}, tick), preview, el('td', {}, c.kind), el('td', {}, c.poolEntry + (c.problem ? ' — ' + c.problem : '')),
          el('td', {}, c.dataset || ''), el('td', {}, c.width != null ? c.width + ' × ' + c.height : '?'),
          el('td', {}, c.levels ?? ''), el('td', {}, fmtBytes(c.bytes)), el('td', {}, c.hasMask ? 'yes' : '')));
      });
    } catch (e) { fail(e); }
  }
  function ticked() {
    return [...document.querySelectorAll('#candidates-table input[data-candidate]:checked')].map(t => candidates[+t.dataset.candidate]);
  }
  // Reads the spec text (an empty text starts a new spec), lets edit() change it, writes it back formatted.
  function editSpec(edit) {
    const text = $('#campaign-spec').value.trim();
    let spec;
    try { spec = text ? JSON.parse(text) : {}; } catch (e) { message('The spec is not valid JSON: ' + e.message, 'error'); return; }
    spec.localData = spec.localData || {};
    const problem = edit(spec);
    if (problem) { message(problem, 'error'); return; }
    $('#campaign-spec').value = JSON.stringify(spec, null, 2);
    message('Updated the spec\'s localData.', 'ok');
  }
  // Tiles name ids inside one dataset (localData.datasetPrefix): ticked tiles must share it.
  function tileDataset(spec, tiles) {
    const sets = [...new Set(tiles.map(t => t.dataset))];
    if (sets.length > 1) return 'Ticked tiles come from several datasets (' + sets.join(', ') + '); a campaign reads one.';
    if (sets.length === 1) {
      if (spec.localData.datasetPrefix && spec.localData.datasetPrefix !== sets[0]
          && (spec.localData.tileIds || []).concat(spec.localData.validationTileIds || []).some(id => !id.startsWith('slides/'))) {
        return 'The spec already uses dataset ' + spec.localData.datasetPrefix + '; the ticked tiles are in ' + sets[0] + '.';
      }
      spec.localData.datasetPrefix = sets[0];
    }
    return null;
  }
  $('#candidates-refresh').addEventListener('click', loadCandidates);
  $('#candidates-pool').addEventListener('click', () => {
    const t = ticked();
    if (!t.length) { message('Tick at least one tile or slide.', 'error'); return; }
    editSpec(spec => {
      const validation = spec.localData.validationTileIds || [];
      const p = tileDataset({ localData: { ...spec.localData, tileIds: [], validationTileIds: validation } }, t.filter(c => c.kind === 'tile'));
      if (p) return p;
      const tiles = t.filter(c => c.kind === 'tile');
      if (tiles.length) spec.localData.datasetPrefix = tiles[0].dataset;
      spec.localData.tileIds = t.map(c => c.poolEntry);
      return null;
    });
  });
  $('#candidates-validation').addEventListener('click', () => {
    const t = ticked().filter(c => c.kind === 'tile');
    if (!t.length || t.some(c => !c.hasMask)) { message('Validation needs ticked tiles that have masks (slides cannot validate).', 'error'); return; }
    editSpec(spec => {
      const p = tileDataset({ localData: { ...spec.localData, validationTileIds: [] } }, t);
      if (p) return p;
      spec.localData.datasetPrefix = t[0].dataset;
      spec.localData.validationTileIds = t.map(c => c.poolEntry);
      return null;
    });
  });
  $('#create-campaign').addEventListener('toggle', () => { if ($('#create-campaign').open) loadCandidates(); });
  $('#campaign-create').addEventListener('click', async () => {
    let spec;
    try { spec = JSON.parse($('#campaign-spec').value); } catch (e) { message('The spec is not valid JSON: ' + e.message, 'error'); return; }
    try {
      const c = await Api.json('POST', '/api/campaigns', spec);
      message('Campaign ' + c.campaignId + ' started.', 'ok');
      location.hash = 'campaign/' + encodeURIComponent(c.campaignId);
    } catch (e) { fail(e); }
  });

  let currentCampaign = null;
  async function loadCampaign(id) {
    show('campaign');
    currentCampaign = id;
    try {
      const c = await Api.json('GET', '/api/campaigns/' + encodeURIComponent(id));
      const s = c.status || {};
      $('#campaign-title').textContent = (c.title || id) + ' — ' + (s.phase || 'unknown');
      $('#campaign-summary').textContent = `cycle ${s.cycle ?? '?'} · ${s.totalPatchesAnnotated ?? 0}/${s.totalPatchesSelected ?? 0} patches annotated · current Dice ${s.currentDice != null ? s.currentDice.toFixed(3) : '–'}`
        + (s.paused ? ' · paused: ' + (s.pauseReason || '') : '') + (s.stopReason ? ' · stopped: ' + s.stopReason : '') + (s.lastError ? ' · last error: ' + s.lastError : '');
      const pb = $('#patches-table tbody');
      pb.replaceChildren();
      (s.patches || []).forEach(p => {
        const actions = el('td', {});
        if (has('coordinator') && (p.state === 'ASSIGNED' || p.state === 'OVERDUE')) {
          actions.append(el('button', { type: 'button', onclick: () => reassign(p) }, 'Reassign…'));
        }
        pb.append(el('tr', { 'data-patch': p.patchId }, el('td', {}, p.cycle), el('td', {}, p.patchId), el('td', {}, p.assignedTo),
          el('td', { class: 'state-' + String(p.state).toLowerCase() }, p.state), el('td', {}, fmtTime(p.deadline)), actions));
      });
      const lb = $('#lineage-table tbody');
      lb.replaceChildren();
      (s.lineage || []).forEach(m => lb.append(el('tr', {}, el('td', {}, m.modelKey), el('td', {}, m.parentKey || '–'), el('td', {}, m.cycle),
        el('td', {}, (m.annotationIds || []).join(', ')))));
      $('#dice-plot').replaceChildren(dicePlot(s.cycles || []));
      $('#exports').replaceChildren(...exportLinks(id, s));
    } catch (e) { fail(e); }
  }

  // One row per cycle that selected patches: zip downloads (one file per source image) in each format.
  function exportLinks(id, s) {
    const cycles = new Set((s.cycles || []).map(c => c.cycle));
    if ((s.patches || []).length) cycles.add(s.cycle);
    if (!cycles.size) return [el('p', {}, 'No patches selected yet.')];
    return [...cycles].sort((a, b) => a - b).map(n => el('div', { class: 'export-row' }, 'Cycle ' + n + ': ',
      ...['geojson', 'asap', 'imagescope'].map(f => el('button', { type: 'button', 'data-export': n + '-' + f,
        onclick: () => download(`/api/campaigns/${encodeURIComponent(id)}/cycles/${n}/annotations?format=${f}`,
          `${id}-cycle${n}-${f}.zip`) }, f))));
  }

  async function download(path, name) {
    try {
      const url = URL.createObjectURL(await Api.blob(path));
      const a = el('a', { href: url, download: name });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) { fail(e); }
  }

  // Inline SVG: Dice before (grey) and after (green) fine-tuning per cycle.
  function dicePlot(cycles) {
    const NS = 'http://www.w3.org/2000/svg';
    const W = 480, H = 220, L = 40, B = 30, T = 10, R = 10;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', W); svg.setAttribute('height', H); svg.setAttribute('id', 'dice-svg');
    const node = (tag, attrs, text) => { const n = document.createElementNS(NS, tag); Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v)); if (text != null) n.textContent = text; svg.append(n); return n; };
    const n = Math.max(1, cycles.length);
    const x = i => L + (W - L - R) * (n === 1 ? 0.5 : i / (n - 1));
    const y = v => T + (H - T - B) * (1 - v);
    node('line', { x1: L, y1: y(0), x2: W - R, y2: y(0), stroke: '#999' });
    node('line', { x1: L, y1: y(0), x2: L, y2: y(1), stroke: '#999' });
    [0, 0.25, 0.5, 0.75, 1].forEach(v => node('text', { x: 4, y: y(v) + 4, 'font-size': 10 }, v.toFixed(2)));
    if (!cycles.length) { node('text', { x: L + 20, y: H / 2 }, 'no finished cycle yet'); return svg; }
    const series = (key, color) => {
      const pts = cycles.map((c, i) => c[key] != null ? [x(i), y(c[key])] : null).filter(Boolean);
      if (pts.length > 1) node('polyline', { points: pts.map(p => p.join(',')).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 });
      pts.forEach(p => node('circle', { cx: p[0], cy: p[1], r: 3.5, fill: color, class: 'dice-' + key }));
    };
    series('diceBefore', '#888');
    series('diceAfter', '#1a7f37');
    cycles.forEach((c, i) => node('text', { x: x(i) - 4, y: H - 10, 'font-size': 11 }, c.cycle));
    node('text', { x: W - 150, y: 20, 'font-size': 11, fill: '#888' }, '● before');
    node('text', { x: W - 90, y: 20, 'font-size': 11, fill: '#1a7f37' }, '● after fine-tune');
    return svg;
  }

  async function signal(path, body) {
    try {
      await Api.json('POST', '/api/campaigns/' + encodeURIComponent(currentCampaign) + path, body);
      message('Sent ' + path.split('/').pop() + '.', 'ok');
      setTimeout(() => loadCampaign(currentCampaign), 500);
    } catch (e) { fail(e); }
  }
  async function reassign(p) {
    const who = prompt('Reassign patch ' + p.patchId + ' to which annotator?');
    if (who) signal('/patches/' + encodeURIComponent(p.patchId) + '/reassign', { annotator: who });
  }
  $('#c-pause').addEventListener('click', () => signal('/pause'));
  $('#c-resume').addEventListener('click', () => signal('/resume'));
  $('#c-cancel').addEventListener('click', () => { const r = prompt('Cancel the campaign: reason?'); if (r) signal('/cancel', { reason: r }); });
  $('#c-extend').addEventListener('click', () => { const h = prompt('Extend open deadlines by how many hours?', '24'); if (h && +h > 0) signal('/extend', { hours: +h }); });

  if (Api.loggedIn()) start(); else show('login');
})();
