// The operator dashboard: polls the API once a second and renders operations, the pool and the
// per-queue budget; its forms start operations. Plain JavaScript served by the api module itself,
// so it works offline and needs no build step.
'use strict';

const POLL_MS = 1000;
const KEY_STORAGE = 'storeops.apiKey';

const $ = (selector, root = document) => root.querySelector(selector);
const field = (row, name) => $(`[data-testid="${name}"]`, row);

/** An API answer that was not 2xx, carrying the problem+json's detail and field. */
class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.field = body?.field ?? null;
  }
}

async function call(method, url, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body });
  const json = (response.headers.get('Content-Type') || '').includes('json') ? await response.json() : null;
  return { status: response.status, ok: response.ok, json };
}

/** POSTs; a 401 asks for the API key once and sends again with it. Throws a Problem unless 2xx. */
async function post(url, body) {
  let answer = await call('POST', url, body);
  if (answer.status === 401 && await askForKey(answer.json?.detail)) {
    answer = await call('POST', url, body);
  }
  if (!answer.ok) throw new Problem(answer.status, answer.json);
  return answer;
}

// --- API key -----------------------------------------------------------------------------------

const keyDialog = $('#key-dialog');

/** Opens the key dialog; resolves true when a key was saved. */
function askForKey(reason) {
  const keyReason = field(keyDialog, 'key-reason');
  const usual = keyReason.dataset.usual ??= keyReason.innerHTML;
  if (reason) keyReason.textContent = reason; // the 401 problem says what the server wants
  else keyReason.innerHTML = usual;
  keyDialog.querySelector('input').value = sessionStorage.getItem(KEY_STORAGE) ?? '';
  keyDialog.returnValue = ''; // Escape keeps the last value: without this it would "save" again
  keyDialog.showModal();
  return new Promise(resolve => keyDialog.addEventListener('close', () => {
    const key = keyDialog.querySelector('input').value.trim();
    if (keyDialog.returnValue === 'save' && key) sessionStorage.setItem(KEY_STORAGE, key);
    if (keyDialog.returnValue === 'forget') sessionStorage.removeItem(KEY_STORAGE);
    showKeyState();
    resolve(keyDialog.returnValue === 'save' && key !== '');
  }, { once: true }));
}

function showKeyState() {
  $('#key-button').textContent = sessionStorage.getItem(KEY_STORAGE) ? 'API key: set' : 'API key…';
}

$('#key-button').addEventListener('click', () => askForKey(null));

// --- Operations --------------------------------------------------------------------------------

const rows = new Map(); // operation id → its <tr>, updated in place so focus and clicks survive polls
const operationsBody = $('#operations tbody');
let localChanges = 0;   // bumped when the page shows an operation itself; older poll answers are stale

function time(element, iso) {
  element.dateTime = iso ?? '';
  element.textContent = iso ? new Date(iso).toLocaleString() : '–';
}

function show(element, href) {
  element.hidden = !href;
  if (href) element.href = href;
}

/** Fills (or creates) the row of one operation. */
function renderOperation(op, revertedIds) {
  let row = rows.get(op.id);
  if (!row) {
    row = $('#operation-row').content.firstElementChild.cloneNode(true);
    row.dataset.operationId = op.id;
    rows.set(op.id, row);
  }
  const status = op.status;
  const params = op.parameters ?? {};
  row.dataset.status = status;
  field(row, 'op-type').textContent = op.type;
  field(row, 'op-id').textContent = op.id.slice(0, 8);
  field(row, 'op-id').title = op.id;
  field(row, 'op-what').textContent = params.fileName ?? (params.revertOf ? `revert of ${params.revertOf.slice(0, 8)}` : '');
  field(row, 'op-status').textContent = status;
  field(row, 'op-status').className = `status ${status.toLowerCase()}`;
  field(row, 'op-error').textContent = op.error ?? '';

  const progress = field(row, 'op-progress');
  const { done = 0, total = null, percent = null } = op.progress ?? {};
  progress.setAttribute('aria-label', `Progress of ${op.type} ${op.id.slice(0, 8)}`);
  if (percent === null) {
    progress.removeAttribute('value'); // indeterminate: the total is not known yet
    field(row, 'op-percent').textContent = done ? `${done} done` : '';
  } else {
    progress.value = percent;
    field(row, 'op-percent').textContent = `${percent} %` + (total ? ` (${done} of ${total})` : '');
  }
  progress.setAttribute('aria-valuetext', field(row, 'op-percent').textContent || 'unknown');

  const counts = op.counts ?? {};
  field(row, 'op-succeeded').textContent = counts.succeeded ?? 0;
  field(row, 'op-failed').textContent = counts.failed ?? 0;
  field(row, 'op-skipped').textContent = counts.skipped ?? 0;
  time(field(row, 'op-created'), op.createdAt);
  time(field(row, 'op-finished'), op.finishedAt);

  show(field(row, 'op-errors'), counts.failed > 0 ? op.links?.errors : null);
  show(field(row, 'op-temporal'), op.temporalUiUrl || op.links?.temporal);
  field(row, 'op-cancel').hidden = !['PENDING', 'RUNNING'].includes(status);
  // The server refuses to revert a revert or to revert twice; hide what it would refuse.
  field(row, 'op-revert').hidden = !(op.type === 'batch-update' && ['COMPLETED', 'CANCELED'].includes(status)
      && !params.revertOf && !revertedIds.has(op.id));
  return row;
}

function renderOperations(list) {
  const revertedIds = new Set(list.map(op => op.parameters?.revertOf).filter(Boolean));
  const seen = new Set();
  list.forEach((op, i) => {
    const row = renderOperation(op, revertedIds);
    seen.add(op.id);
    if (operationsBody.children[i] !== row) operationsBody.insertBefore(row, operationsBody.children[i] ?? null);
  });
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      row.remove();
      rows.delete(id);
    }
  }
  $('#operations-empty').hidden = list.length > 0;
}

/** Shows an operation the API just answered with, before the next poll brings it. */
function showStarted(op) {
  localChanges++;
  operationsBody.prepend(renderOperation(op, new Set()));
  $('#operations-empty').hidden = true;
}

operationsBody.addEventListener('click', async event => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const row = button.closest('tr');
  const action = button.dataset.action;
  if (action === 'revert' && !confirm('Revert this batch update? Every value it changed is put back.')) return;
  const problem = field(row, 'op-problem');
  problem.textContent = '';
  button.disabled = true;
  try {
    const op = (await post(`/api/operations/${row.dataset.operationId}/${action}`)).json;
    if (op?.id && op.id !== row.dataset.operationId) showStarted(op); // a revert is a new operation
  } catch (error) {
    problem.textContent = error.message;
  } finally {
    button.disabled = false;
  }
});

// With STOREOPS_API_KEY set the errors CSV needs the key, which a plain link cannot send: fetch it
// with the key and hand the browser the file.
operationsBody.addEventListener('click', async event => {
  const link = event.target.closest('a[data-testid="op-errors"]');
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!link || !key) return;
  event.preventDefault();
  const response = await fetch(link.href, { headers: { Authorization: `Bearer ${key}` } });
  const problem = field(link.closest('tr'), 'op-problem');
  if (!response.ok) {
    problem.textContent = `Errors CSV: HTTP ${response.status}`;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const save = document.createElement('a');
  save.href = url;
  save.download = `errors-${link.closest('tr').dataset.operationId}.csv`;
  save.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // after the browser has taken the file
});

// --- Pool and budget ---------------------------------------------------------------------------

function renderPool({ pool, queues }) {
  const gauges = $('.gauges');
  field(gauges, 'pool-active').textContent = pool.active;
  field(gauges, 'pool-max').textContent = pool.max;
  field(gauges, 'pool-idle').textContent = pool.idle;
  field(gauges, 'pool-awaiting').textContent = pool.threadsAwaitingConnection;
  field(gauges, 'pool-timeouts').textContent = pool.connectionTimeouts;
  field(gauges, 'pool-awaiting').classList.toggle('warn', pool.threadsAwaitingConnection > 0);
  field(gauges, 'pool-timeouts').classList.toggle('warn', pool.connectionTimeouts > 0);
  const meter = $('#pool-meter');
  meter.max = pool.max;
  meter.high = pool.max * 0.8;
  meter.value = pool.active;

  // The queues are fixed for the life of the process: rows are made once, then updated in place.
  const body = $('#queues tbody');
  queues.forEach((q, i) => {
    let row = body.querySelector(`tr[data-queue="${q.queue}"]`);
    if (!row) {
      row = $('#queue-row').content.firstElementChild.cloneNode(true);
      row.dataset.queue = q.queue;
      field(row, 'queue-name').textContent = q.queue;
      field(row, 'queue-meter').setAttribute('aria-label', `Activities running on ${q.queue}`);
      body.insertBefore(row, body.children[i] ?? null);
    }
    field(row, 'queue-running').textContent = q.running;
    field(row, 'queue-cap').textContent = q.cap;
    field(row, 'queue-waiting').textContent = q.waiting;
    const gauge = field(row, 'queue-meter');
    gauge.max = Math.max(q.cap, 1);
    gauge.value = q.running;
  });
}

// --- Polling -----------------------------------------------------------------------------------

function connection(text, failing) {
  const line = $('#connection');
  if (line.textContent !== text) line.textContent = text; // role=status: announce changes only
  line.classList.toggle('warn', failing);
}

async function poll() {
  const seen = localChanges;
  try {
    const [ops, pool] = await Promise.all([call('GET', '/api/operations?limit=50'), call('GET', '/api/health/pool')]);
    if (!ops.ok) throw new Problem(ops.status, ops.json);
    if (seen === localChanges) renderOperations(ops.json.operations);
    if (pool.ok) renderPool(pool.json);
    connection('Live: updated every second', false);
  } catch (error) {
    connection(`Cannot read operations: ${error.message}`, true);
  } finally {
    setTimeout(poll, POLL_MS); // after the answer, never overlapping a slow one
  }
}

// --- Forms -------------------------------------------------------------------------------------

/** What each form sends; a thrown Problem is shown without asking the server. */
const bodies = {
  'import-form': form => new FormData(form),
  'sync-form': form => ({ shop: form.shop.value.trim(), mode: form.mode.value }),
  'batch-form': form => {
    try {
      return JSON.parse(form.body.value);
    } catch (error) {
      throw new Problem(400, { detail: `not valid JSON: ${error.message}`, field: 'body' });
    }
  },
  'icons-form': form => {
    const force = form.force.checked;
    if (form.which.value === 'all') return { all: true, force };
    const ids = form.productIds.value.split(/[\s,]+/).filter(Boolean).map(Number);
    return { productIds: ids, force };
  },
};

/** The problem's detail, its field named when the detail does not already, and that control marked. */
function showProblem(form, problem, error) {
  const name = error.field;
  problem.textContent = name && !error.message.includes(name) ? `${name}: ${error.message}` : error.message;
  problem.dataset.field = name ?? '';
  if (!name) return;
  // Batch fields such as "changes.price" live inside the JSON textarea, the form's only one.
  const control = form.elements[name] ?? form.elements[name.split('.')[0]] ?? form.querySelector('textarea');
  if (control instanceof Element) control.setAttribute('aria-invalid', 'true');
}

for (const [id, body] of Object.entries(bodies)) {
  const form = document.getElementById(id);
  const prefix = id.replace('-form', '');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const output = field(form, `${prefix}-output`);
    const problem = field(form, `${prefix}-problem`);
    const button = form.querySelector('button[type=submit]');
    output.textContent = problem.textContent = '';
    form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
    button.disabled = true;
    try {
      const { status, json: answer } = await post(form.getAttribute('action'), body(form));
      if (answer.dryRun) {
        output.textContent = `Dry run: ${answer.products} products, ${answer.variants} variants would change.`;
      } else {
        showStarted(answer);
        output.dataset.operationId = answer.id;
        // 200 instead of 202: a sync of this shop was already running, and that is the one answered.
        output.textContent = `${status === 200 ? 'Already running' : 'Started'}: ${answer.type} ${answer.id.slice(0, 8)}.`;
      }
    } catch (error) {
      showProblem(form, problem, error);
    } finally {
      button.disabled = false;
    }
  });
}

showKeyState();
poll();
