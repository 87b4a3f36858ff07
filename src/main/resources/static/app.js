// koclip-search web page: plain JS, no build step. Korean first, English on a switch.
(() => {
  'use strict';

  const I18N = {
    ko: {
      title: '코클립 검색', queryLabel: '검색어', placeholder: '무엇을 찾으세요? 예: 빨간 원, 파란 네모',
      searchByImage: '이미지로 검색', filters: '필터', folder: '폴더', format: '형식', any: '전체',
      minWidth: '최소 너비', minScore: '최소 점수', perPage: '페이지당', dedup: '중복 합치기',
      tabSearch: '검색', tabLabels: '라벨 분류', tabPatches: '패치 찾기', clear: '지우기',
      prev: '이전', next: '다음', dropHint: '이미지를 끌어다 놓으면 비슷한 이미지를 찾아요',
      dropImage: '이미지를 끌어다 놓거나 눌러서 고르세요', dropOverlay: '여기에 놓으면 비슷한 이미지를 찾아요',
      labelsLabel: '라벨 (한 줄에 하나, 또는 쉼표로)', template: '템플릿',
      templateHint: '비우면 모델 기본, none = 원문, 예: {} 그림', classify: '분류하기',
      patchText: '찾을 것', rows: '행', cols: '열', overlap: '겹침', findPatches: '패치 찾기',
      footer: '한국어로 묻고, 이미지로 답합니다.',
      results: (n, ms, cached) => `결과 ${n}개 · ${ms}ms${cached ? ' · 캐시' : ''}`,
      noResults: '찾은 이미지가 없어요. 다른 말로 찾아보세요.', page: (p) => `${p}쪽`,
      similar: '비슷한 이미지', analyse: '분석', open: '원본', searching: '찾는 중…',
      imageQuery: (name) => `이미지로 찾는 중: ${name}`, similarQuery: (id) => `비슷한 이미지: ${id}`,
      indexing: '색인을 만드는 중이에요. 곧 다시 시도할게요…', busy: '서버가 바빠요. 잠시 후 다시 시도할게요…',
      needImage: '먼저 이미지를 놓아 주세요.', needLabels: '라벨을 두 개 이상 적어 주세요.',
      best: (r, c, s) => `가장 잘 맞는 칸: ${r + 1}행 ${c + 1}열 (점수 ${s})`,
      statusUp: (m, n) => `${m} · 이미지 ${n}장`, statusIndexing: '색인 중', statusDown: '연결 안 됨',
      networkError: '서버에 연결할 수 없어요.', error: '오류',
      modeVector: '그림으로', modeLexical: '글자로', modeHybrid: '둘 다',
      dedupExact: '같은 파일', dedupNear: '거의 같은 이미지', dedupNone: '합치지 않기',
      sort: '정렬', sortRelevance: '관련도', sortDate: '최신순',
      similarPlus: '비슷한 + 글', composePlus: '더할 말', composeMinus: '뺄 말',
      composePlusHint: '예: 바닷가', composeMinusHint: '예: 사람', composeApply: '다시 찾기',
      tabDuplicates: '중복 이미지', maxDistance: '최대 거리', findDuplicates: '중복 찾기',
      groupsSummary: (g, n, ms) => `비슷한 묶음 ${g}개 · 이미지 ${n}장 · ${ms}ms`,
      noGroups: '거의 같은 이미지가 없어요.', groupSize: (n) => `${n}장`,
    },
    en: {
      title: 'KoCLIP Search', queryLabel: 'Query', placeholder: 'What are you looking for? e.g. red circle, 파란 네모',
      searchByImage: 'Search by image', filters: 'Filters', folder: 'Folder', format: 'Format', any: 'Any',
      minWidth: 'Min width', minScore: 'Min score', perPage: 'Per page', dedup: 'Collapse duplicates',
      tabSearch: 'Search', tabLabels: 'Labels', tabPatches: 'Patches', clear: 'Clear',
      prev: 'Previous', next: 'Next', dropHint: 'Drop an image to find similar ones',
      dropImage: 'Drop an image here or click to choose one', dropOverlay: 'Drop to find similar images',
      labelsLabel: 'Labels (one per line, or comma-separated)', template: 'Template',
      templateHint: 'empty = the model\'s, none = raw text, e.g. a drawing of {}', classify: 'Classify',
      patchText: 'Find', rows: 'Rows', cols: 'Columns', overlap: 'Overlap', findPatches: 'Find patches',
      footer: 'Ask in Korean, answered with images.',
      results: (n, ms, cached) => `${n} results · ${ms} ms${cached ? ' · cached' : ''}`,
      noResults: 'No images found. Try other words.', page: (p) => `Page ${p}`,
      similar: 'Similar', analyse: 'Analyse', open: 'Original', searching: 'Searching…',
      imageQuery: (name) => `Searching by image: ${name}`, similarQuery: (id) => `Similar to: ${id}`,
      indexing: 'The index is being built. Retrying shortly…', busy: 'The server is busy. Retrying shortly…',
      needImage: 'Drop an image first.', needLabels: 'Give at least two labels.',
      best: (r, c, s) => `Best cell: row ${r + 1}, column ${c + 1} (score ${s})`,
      statusUp: (m, n) => `${m} · ${n} images`, statusIndexing: 'indexing', statusDown: 'offline',
      networkError: 'Cannot reach the server.', error: 'Error',
      modeVector: 'By picture', modeLexical: 'By words', modeHybrid: 'Both',
      dedupExact: 'Same file', dedupNear: 'Near-duplicates', dedupNone: 'Off',
      sort: 'Sort', sortRelevance: 'Relevance', sortDate: 'Newest',
      similarPlus: 'Similar + words', composePlus: 'Add words', composeMinus: 'Subtract words',
      composePlusHint: 'e.g. beach', composeMinusHint: 'e.g. people', composeApply: 'Search again',
      tabDuplicates: 'Duplicates', maxDistance: 'Max distance', findDuplicates: 'Find duplicates',
      groupsSummary: (g, n, ms) => `${g} groups · ${n} images · ${ms} ms`,
      noGroups: 'No near-duplicates found.', groupSize: (n) => `${n} images`,
    },
  };

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
  const API = '/api/v1';

  const state = {
    lang: localStorage.getItem('koclip.lang') || 'ko', // Korean first, whatever the browser says
    mode: 'text', // text | image | similar
    searchMode: 'vector', // vector | lexical | hybrid (text queries only)
    groupsPage: 0,
    page: 0,
    image: null, // File or Blob for image search, labels and patches
    imageName: '',
    similarId: null,
    controller: null,
    retryTimer: null,
    topScore: 0,
  };

  const t = (key, ...args) => {
    const value = I18N[state.lang][key] ?? I18N.ko[key] ?? key;
    return typeof value === 'function' ? value(...args) : value;
  };

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.title = `${t('title')} · KoCLIP`;
    $$('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    $$('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    $$('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    $$('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang)));
    document.body.dataset.drop = t('dropOverlay');
    refreshStatus();
  }

  // ---- HTTP: JSON or RFC 9457 problem+json -------------------------------------------------
  class ApiError extends Error {
    constructor(status, problem, retryAfter) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.status = status; this.problem = problem; this.retryAfter = retryAfter;
    }
  }

  async function call(url, options = {}) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, { detail: t('networkError') });
    }
    if (!response.ok) {
      let problem = {};
      try { problem = await response.json(); } catch (ignored) { /* not JSON */ }
      throw new ApiError(response.status, problem, Number(response.headers.get('Retry-After')) || 0);
    }
    return response;
  }

  function showMessage(el, text, kind = 'error') {
    el.hidden = !text;
    el.textContent = text || '';
    el.classList.toggle('info', kind === 'info');
  }

  // ---- status badge ----------------------------------------------------------------------
  let health = null;
  async function pollHealth() {
    try {
      const response = await fetch('/actuator/health', { headers: { Accept: 'application/json' } });
      health = await response.json();
    } catch (e) {
      health = null;
    }
    refreshStatus();
    const up = health && health.status === 'UP';
    setTimeout(pollHealth, up ? 30000 : 3000);
  }

  // A model pulled from the Hub shows its name and commit (source hf:org/name@commit), e.g.
  // "immich-app/ViT-B-32__openai @ 3c5a1d0e9b2f"; a local folder or the demo shows its name.
  function modelLabel(model) {
    const source = model.source || '';
    const at = source.lastIndexOf('@');
    const name = model.name || 'model';
    return source.startsWith('hf:') && at > 0 ? `${name} @ ${source.slice(at + 1, at + 13)}` : name;
  }

  function refreshStatus() {
    const el = $('#status');
    if (!health) { el.dataset.state = 'down'; el.textContent = t('statusDown'); return; }
    const index = health.components?.index?.details || {};
    const model = health.components?.model?.details || {};
    if (health.status === 'UP') {
      el.dataset.state = 'up';
      el.textContent = t('statusUp', modelLabel(model), index.documents ?? '?');
      el.title = `${model.name || ''} ${model.source || ''} ${model.provider || ''}`.trim();
      el.dataset.modelSource = model.source || '';
    } else {
      el.dataset.state = 'indexing';
      el.textContent = `${t('statusIndexing')}${index.documents ? ` · ${index.documents}` : ''}`;
      el.title = health.components?.index?.details?.reason || '';
    }
  }

  // ---- search ----------------------------------------------------------------------------
  const pageSize = () => Number($('#f-k').value) || 24;

  function filterParams(params) {
    const folder = $('#f-folder').value.trim();
    const format = $('#f-format').value;
    const minWidth = $('#f-minwidth').value;
    const minScore = $('#f-minscore').value;
    if (folder) params.set('folder', folder);
    if (format) params.set('format', format);
    if (minWidth) params.set('minWidth', minWidth);
    if (minScore !== '') params.set('minScore', minScore);
    const dedup = $('#f-dedup').value;
    if (dedup !== 'true') params.set('dedup', dedup);
    const sort = $('#f-sort').value;
    if (sort !== 'relevance') params.set('sort', sort);
    params.set('k', String(pageSize()));
    params.set('offset', String(state.page * pageSize()));
    return params;
  }

  /** The words to add and subtract to an image query; null when there are none. */
  function composeWords() {
    const plus = $('#compose-plus').value.trim();
    const minus = $('#compose-minus').value.trim();
    return plus || minus ? { plus, minus } : null;
  }

  /** POST /search/compose: the image (by id or the upload) plus and minus the words, with the page's filters. */
  function composeRequest(words, signal) {
    const params = filterParams(new URLSearchParams());
    const terms = [state.mode === 'similar' ? { imageId: state.similarId } : { upload: 'image' }];
    if (words.plus) terms.push({ text: words.plus, weight: 1 });
    if (words.minus) terms.push({ text: words.minus, weight: -1 });
    const filter = {};
    if (params.get('folder')) filter.folder = params.get('folder');
    if (params.get('format')) filter.format = [params.get('format')];
    if (params.get('minWidth')) filter.minWidth = Number(params.get('minWidth'));
    const body = {
      terms,
      k: Number(params.get('k')),
      offset: Number(params.get('offset')),
      dedup: params.get('dedup') || 'true',
      sort: params.get('sort') || 'relevance',
      filter,
    };
    if (params.get('minScore')) body.minScore = Number(params.get('minScore'));
    if (state.mode === 'similar') {
      return call(`${API}/search/compose`, {
        method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, signal,
      });
    }
    const form = new FormData();
    form.append('query', new Blob([JSON.stringify(body)], { type: 'application/json' }));
    form.append('image', state.image, state.imageName || 'upload');
    return call(`${API}/search/compose`, { method: 'POST', body: form, signal });
  }

  function skeletons(n) {
    const results = $('#results');
    results.replaceChildren(...Array.from({ length: Math.min(n, 12) }, () => {
      const li = document.createElement('li');
      li.className = 'skeleton';
      return li;
    }));
  }

  async function runSearch() {
    clearTimeout(state.retryTimer);
    if (state.controller) state.controller.abort();
    const q = $('#q').value.trim();
    if (state.mode === 'text' && !q) {
      $('#results').replaceChildren();
      $('#summary').textContent = '';
      showMessage($('#message'), '');
      updatePager(0);
      syncUrl();
      return;
    }
    const controller = new AbortController();
    state.controller = controller;
    $('#summary').innerHTML = `<span class="spinner"></span>${t('searching')}`;
    showMessage($('#message'), '');
    skeletons(pageSize());
    syncUrl();
    try {
      let response;
      const words = state.mode === 'text' ? null : composeWords();
      if (words) {
        response = await composeRequest(words, controller.signal);
      } else if (state.mode === 'image') {
        const form = new FormData();
        form.append('image', state.image, state.imageName || 'upload');
        const params = filterParams(new URLSearchParams());
        response = await call(`${API}/search/image?${params}`, { method: 'POST', body: form, signal: controller.signal });
      } else if (state.mode === 'similar') {
        const params = filterParams(new URLSearchParams());
        response = await call(`${API}/search/similar/${encodeURIComponent(state.similarId)}?${params}`, { signal: controller.signal });
      } else {
        const params = filterParams(new URLSearchParams({ q }));
        if (state.searchMode !== 'vector') params.set('mode', state.searchMode);
        response = await call(`${API}/search?${params}`, { signal: controller.signal });
      }
      const body = await response.json();
      if (controller !== state.controller) return;
      render(body);
    } catch (e) {
      if (e.name === 'AbortError') return;
      $('#results').replaceChildren();
      $('#summary').textContent = '';
      updatePager(0);
      handleError(e, $('#message'), runSearch);
    }
  }

  function handleError(e, el, retry) {
    if (e.status === 503) {
      const code = e.problem?.code;
      showMessage(el, code === 'inference-busy' ? t('busy') : t('indexing'), 'info');
      state.retryTimer = setTimeout(retry, Math.max(1, e.retryAfter || 3) * 1000);
      return;
    }
    const title = e.problem?.title ? `${e.problem.title}: ` : (e.status ? `${t('error')} ${e.status}: ` : '');
    showMessage(el, `${title}${e.message}`);
  }

  function render(body) {
    const results = $('#results');
    const start = state.page * pageSize();
    if (!body.hits.length) {
      results.replaceChildren();
      $('#summary').textContent = '';
      showMessage($('#message'), t('noResults'), 'info');
      updatePager(0);
      return;
    }
    $('#summary').textContent = t('results', body.hits.length, body.tookMs, body.cached);
    // Score bars are relative to the best hit of the first page, so differences show.
    if (state.page === 0 || !state.topScore) state.topScore = Math.max(body.hits[0].score, 0.01);
    results.replaceChildren(...body.hits.map((hit, i) => card(hit, start + i + 1)));
    updatePager(body.hits.length);
  }

  function card(hit, rank) {
    const li = document.createElement('li');
    li.className = 'result';
    li.dataset.id = hit.id;
    li.dataset.path = hit.path;
    li.dataset.score = String(hit.score);
    const pct = Math.max(2, Math.min(100, (hit.score / state.topScore) * 100));
    li.innerHTML = `
      <a class="thumb" href="" target="_blank" rel="noopener"><span class="rank"></span><img loading="lazy" alt=""></a>
      <div class="meta">
        <div class="score"><span class="value"></span><span class="bar"><span></span></span></div>
        <span class="path"></span>
        <p class="snippet" hidden></p>
        <div class="actions">
          <button type="button" class="link similar"></button>
          <button type="button" class="link similar-plus"></button>
          <button type="button" class="link analyse"></button>
        </div>
      </div>`;
    $('a', li).href = hit.imageUrl;
    $('.rank', li).textContent = `#${rank}`;
    const img = $('img', li);
    img.src = hit.thumbnailUrl;
    img.alt = hit.path;
    $('.score .value', li).textContent = hit.score.toFixed(3);
    $('.score .bar span', li).style.width = `${pct}%`;
    const path = $('.path', li);
    path.textContent = hit.path + (hit.duplicates ? ` (+${hit.duplicates})` : '');
    path.title = hit.path;
    $('.similar', li).textContent = t('similar');
    $('.similar', li).addEventListener('click', () => searchSimilar(hit.id));
    $('.similar-plus', li).textContent = t('similarPlus');
    $('.similar-plus', li).addEventListener('click', () => {
      searchSimilar(hit.id);
      $('#compose-plus').focus();
    });
    if (hit.snippet && typeof hit.snippet.html === 'string') {
      const snippet = $('.snippet', li);
      snippet.replaceChildren(...markedText(hit.snippet.html));
      snippet.dataset.field = hit.snippet.field || '';
      snippet.title = hit.snippet.field || '';
      snippet.hidden = false;
    }
    $('.analyse', li).textContent = t('analyse');
    $('.analyse', li).addEventListener('click', async () => {
      try {
        const response = await call(hit.imageUrl);
        setImage(await response.blob(), hit.path.split('/').pop());
        selectTab('labels');
      } catch (e) {
        handleError(e, $('#message'), () => {});
      }
    });
    return li;
  }

  /**
   * A highlighted snippet as DOM nodes: text, and <mark> elements holding text. The server escapes
   * everything but <mark>; this keeps nothing else anyway: the string is tokenized here (no HTML
   * parser, so no element, attribute or handler is ever created, and the page's Content-Security-Policy
   * never sees one), any other tag is dropped with script/style/template content, entities decoded.
   */
  function markedText(html) {
    const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const decode = (text) => text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return entities[name.toLowerCase()] ?? whole;
    });
    const cleaned = html.replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, '');
    const out = [];
    let mark = null;
    for (const part of cleaned.split(/(<[^>]*>)/)) {
      if (part === '') continue;
      if (part.startsWith('<')) {
        const tag = part.toLowerCase();
        if (tag === '<mark>' && !mark) {
          mark = document.createElement('mark');
        } else if (tag === '</mark>' && mark) {
          out.push(mark);
          mark = null;
        }
        continue; // any other tag: dropped, the text around it kept
      }
      const text = document.createTextNode(decode(part));
      if (mark) mark.appendChild(text); else out.push(text);
    }
    if (mark) out.push(mark);
    return out;
  }

  function updatePager(count) {
    $('#prev').disabled = state.page === 0;
    $('#next').disabled = count < pageSize();
    $('#page').textContent = count || state.page > 0 ? t('page', state.page + 1) : '';
  }

  function syncUrl() {
    const params = new URLSearchParams();
    const q = $('#q').value.trim();
    if (state.mode === 'text' && q) params.set('q', q);
    if (state.mode === 'similar') params.set('similar', state.similarId);
    if (state.page) params.set('page', String(state.page + 1));
    if (state.mode === 'text' && state.searchMode !== 'vector') params.set('mode', state.searchMode);
    if (state.lang !== 'ko') params.set('lang', state.lang);
    const query = params.toString();
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  }

  function setQueryChip() {
    const chip = $('#query-image');
    $('#compose').hidden = state.mode === 'text';
    if (state.mode === 'text') {
      $('#compose-plus').value = '';
      $('#compose-minus').value = '';
    }
    if (state.mode === 'image') {
      chip.hidden = false;
      $('#query-image-img').src = URL.createObjectURL(state.image);
      $('#query-image-text').textContent = t('imageQuery', state.imageName);
    } else if (state.mode === 'similar') {
      chip.hidden = false;
      $('#query-image-img').src = `${API}/images/${encodeURIComponent(state.similarId)}/thumbnail`;
      $('#query-image-text').textContent = t('similarQuery', state.similarId);
    } else {
      chip.hidden = true;
    }
  }

  function searchByImage(file) {
    setImage(file, file.name || 'upload');
    state.mode = 'image';
    state.page = 0;
    selectTab('search');
    setQueryChip();
    runSearch();
  }

  function searchSimilar(id) {
    state.mode = 'similar';
    state.similarId = id;
    state.page = 0;
    selectTab('search');
    setQueryChip();
    window.scrollTo({ top: 0, behavior: 'smooth' });
    runSearch();
  }

  // ---- the shared image (labels, patches) -------------------------------------------------
  function setImage(blob, name) {
    state.image = blob;
    state.imageName = name;
    const url = URL.createObjectURL(blob);
    $$('.dropzone').forEach((zone) => {
      const preview = $('.preview', zone);
      preview.src = url;
      preview.hidden = false;
      $('.dz-text', zone).hidden = true;
    });
    $('#heatmap').hidden = true;
    $('#bars').replaceChildren();
    $('#patch-best').textContent = '';
  }

  async function classify() {
    const message = $('#labels-message');
    showMessage(message, '');
    if (!state.image) { showMessage(message, t('needImage'), 'info'); return; }
    const labels = $('#labels').value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    if (labels.length < 2) { showMessage(message, t('needLabels'), 'info'); return; }
    const form = new FormData();
    form.append('image', state.image, state.imageName || 'upload');
    labels.forEach((label) => form.append('labels', label));
    const template = $('#labels-template').value.trim();
    if (template) form.append('template', template);
    const button = $('#classify');
    button.disabled = true;
    try {
      const body = await (await call(`${API}/classify`, { method: 'POST', body: form })).json();
      $('#bars').replaceChildren(...body.labels.map((entry) => {
        const li = document.createElement('li');
        li.innerHTML = '<span class="label"></span><span class="track"><span class="fill"></span></span><span class="pct"></span>';
        $('.label', li).textContent = entry.label;
        $('.pct', li).textContent = `${(entry.probability * 100).toFixed(1)}%`;
        requestAnimationFrame(() => { $('.fill', li).style.width = `${(entry.probability * 100).toFixed(2)}%`; });
        return li;
      }));
    } catch (e) {
      handleError(e, message, classify);
    } finally {
      button.disabled = false;
    }
  }

  async function findPatches() {
    const message = $('#patches-message');
    showMessage(message, '');
    if (!state.image) { showMessage(message, t('needImage'), 'info'); return; }
    const form = () => {
      const data = new FormData();
      data.append('image', state.image, state.imageName || 'upload');
      data.append('q', $('#patch-q').value);
      data.append('rows', $('#rows').value);
      data.append('cols', $('#cols').value);
      data.append('overlap', $('#overlap').value);
      return data;
    };
    const button = $('#find-patches');
    button.disabled = true;
    try {
      const [json, png] = await Promise.all([
        call(`${API}/patches`, { method: 'POST', body: form(), headers: { Accept: 'application/json' } }).then((r) => r.json()),
        call(`${API}/patches`, { method: 'POST', body: form(), headers: { Accept: 'image/png' } }).then((r) => r.blob()),
      ]);
      const heatmap = $('#heatmap');
      heatmap.src = URL.createObjectURL(png);
      heatmap.hidden = false;
      $('#panel-patches .preview').hidden = true;
      const best = json.patches.reduce((a, b) => (b.score > a.score ? b : a));
      $('#patch-best').textContent = t('best', best.row, best.col, best.score.toFixed(3));
    } catch (e) {
      handleError(e, message, findPatches);
    } finally {
      button.disabled = false;
    }
  }

  // ---- near-duplicate groups ---------------------------------------------------------------
  const GROUPS_PER_PAGE = 20;

  async function findDuplicates() {
    const message = $('#duplicates-message');
    showMessage(message, '');
    const params = new URLSearchParams({ page: String(state.groupsPage), size: String(GROUPS_PER_PAGE) });
    const distance = $('#max-distance').value;
    if (distance !== '') params.set('maxDistance', distance);
    const button = $('#find-duplicates');
    button.disabled = true;
    $('#duplicates-summary').textContent = t('searching');
    try {
      const body = await (await call(`${API}/duplicates?${params}`)).json();
      $('#duplicates-summary').textContent = t('groupsSummary', body.totalGroups, body.totalImages, body.tookMs);
      if (!body.groups.length && state.groupsPage === 0) showMessage(message, t('noGroups'), 'info');
      $('#groups').replaceChildren(...body.groups.map((group) => {
        const li = document.createElement('li');
        li.className = 'group';
        const size = document.createElement('span');
        size.className = 'group-size';
        size.textContent = t('groupSize', group.size);
        li.append(size, ...group.images.map((hit) => {
          const a = document.createElement('a');
          a.className = 'member';
          a.href = hit.imageUrl;
          a.target = '_blank';
          a.rel = 'noopener';
          a.dataset.id = hit.id;
          a.title = `${hit.path} · ${hit.score.toFixed(4)}`;
          const img = document.createElement('img');
          img.loading = 'lazy';
          img.alt = hit.path;
          img.src = hit.thumbnailUrl;
          a.append(img);
          return a;
        }));
        return li;
      }));
      $('#groups-prev').disabled = state.groupsPage === 0;
      $('#groups-next').disabled = (state.groupsPage + 1) * GROUPS_PER_PAGE >= body.totalGroups;
      $('#groups-page').textContent = body.totalGroups ? t('page', state.groupsPage + 1) : '';
    } catch (e) {
      $('#duplicates-summary').textContent = '';
      handleError(e, message, findDuplicates);
    } finally {
      button.disabled = false;
    }
  }

  // ---- tabs, drag and drop, events ---------------------------------------------------------
  function selectTab(name) {
    $$('.tabs [role=tab]').forEach((tab) => {
      const selected = tab.id === `tab-${name}`;
      tab.setAttribute('aria-selected', String(selected));
      $(`#${tab.getAttribute('aria-controls')}`).hidden = !selected;
    });
  }

  function imageFrom(event) {
    const file = [...(event.dataTransfer?.files || [])].find((f) => f.type.startsWith('image/'));
    return file || null;
  }

  function wireDropzones() {
    $$('.dropzone').forEach((zone) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = 'image/*';
      input.hidden = true;
      zone.append(input);
      zone.addEventListener('click', () => input.click());
      zone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') input.click(); });
      input.addEventListener('change', () => { if (input.files[0]) setImage(input.files[0], input.files[0].name); });
      zone.addEventListener('dragover', (e) => { e.preventDefault(); e.stopPropagation(); zone.classList.add('over'); });
      zone.addEventListener('dragleave', () => zone.classList.remove('over'));
      zone.addEventListener('drop', (e) => {
        e.preventDefault();
        e.stopPropagation();
        zone.classList.remove('over');
        document.body.classList.remove('dragging');
        const file = imageFrom(e);
        if (file) setImage(file, file.name);
      });
    });
    // Anywhere else on the page: a dropped image searches for similar images.
    let depth = 0;
    window.addEventListener('dragenter', (e) => {
      if ($('#panel-search').hidden) return;
      depth += 1;
      if ([...(e.dataTransfer?.types || [])].includes('Files')) document.body.classList.add('dragging');
    });
    window.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) document.body.classList.remove('dragging'); });
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      document.body.classList.remove('dragging');
      const file = imageFrom(e);
      if (file) searchByImage(file);
    });
  }

  function setSearchMode(mode, search) {
    state.searchMode = mode;
    $$('#modes button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === mode)));
    if (search && state.mode === 'text') {
      state.page = 0;
      runSearch();
    }
  }

  function init() {
    const params = new URLSearchParams(location.search);
    if (params.get('lang') === 'en' || params.get('lang') === 'ko') state.lang = params.get('lang');
    applyLanguage();
    $$('.lang button').forEach((b) => b.addEventListener('click', () => {
      state.lang = b.dataset.lang;
      localStorage.setItem('koclip.lang', state.lang);
      applyLanguage();
      syncUrl();
      if ($('#results').children.length) runSearch();
    }));

    let debounce = null;
    $('#q').addEventListener('input', () => {
      state.mode = 'text';
      state.page = 0;
      setQueryChip();
      clearTimeout(debounce);
      debounce = setTimeout(runSearch, 250);
    });
    $('#search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(debounce);
      state.mode = 'text';
      state.page = 0;
      setQueryChip();
      runSearch();
    });
    $$('.filters input, .filters select').forEach((el) => el.addEventListener('change', () => { state.page = 0; runSearch(); }));
    $('#prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); runSearch(); window.scrollTo({ top: 0 }); });
    $('#next').addEventListener('click', () => { state.page += 1; runSearch(); window.scrollTo({ top: 0 }); });
    $('#pick-image').addEventListener('click', () => $('#file').click());
    $('#file').addEventListener('change', () => {
      const file = $('#file').files[0];
      $('#file').value = ''; // so that choosing the same file again searches again
      if (file) searchByImage(file);
    });
    $('#clear-image').addEventListener('click', () => { state.mode = 'text'; state.page = 0; setQueryChip(); runSearch(); });
    $$('.tabs [role=tab]').forEach((tab) => tab.addEventListener('click', () => selectTab(tab.id.replace('tab-', ''))));
    $('#classify').addEventListener('click', classify);
    $$('#modes button').forEach((b) => b.addEventListener('click', () => setSearchMode(b.dataset.mode, true)));
    $('#compose').addEventListener('submit', (e) => { e.preventDefault(); state.page = 0; runSearch(); });
    $('#duplicates-form').addEventListener('submit', (e) => { e.preventDefault(); state.groupsPage = 0; findDuplicates(); });
    $('#groups-prev').addEventListener('click', () => { state.groupsPage = Math.max(0, state.groupsPage - 1); findDuplicates(); });
    $('#groups-next').addEventListener('click', () => { state.groupsPage += 1; findDuplicates(); });
    $('#find-patches').addEventListener('click', findPatches);
    wireDropzones();
    pollHealth();

    if (['vector', 'lexical', 'hybrid'].includes(params.get('mode'))) setSearchMode(params.get('mode'), false);
    if (params.get('similar')) {
      state.page = Math.max(0, Number(params.get('page') || 1) - 1);
      searchSimilar(params.get('similar'));
    } else if (params.get('q')) {
      $('#q').value = params.get('q');
      state.page = Math.max(0, Number(params.get('page') || 1) - 1);
      runSearch();
    }
  }

  init();
})();
