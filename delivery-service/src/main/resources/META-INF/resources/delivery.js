// Delivery teams' page. The staff token stays in this tab; every value from the API is written with textContent,
// never as HTML.
(function () {
  const message = document.getElementById('message');
  let token = sessionStorage.getItem('w4r.token');
  let casesById = {};
  let current = null;

  function show(text) { message.textContent = text || ''; }

  async function api(method, path, body) {
    const options = { method: method, headers: { Authorization: 'Bearer ' + token } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem('w4r.token');
      token = null;
      document.getElementById('app').hidden = true;
      document.getElementById('sign-in').hidden = false;
      throw new Error('This token is not accepted for deliveries.');
    }
    if (!response.ok) {
      let problem = {};
      try { problem = await response.json(); } catch (ignored) { /* not JSON */ }
      throw new Error((problem.title || response.status) + (problem.detail ? ': ' + problem.detail : ''));
    }
    return response;
  }

  function cell(tr, value) {
    const td = document.createElement('td');
    td.textContent = value == null ? '' : String(value);
    tr.appendChild(td);
    return td;
  }

  function button(label, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', function () { action().catch(function (e) { show(e.message); }); });
    return b;
  }

  async function loadCases() {
    const cases = await (await api('GET', '/api/v1/cases')).json();
    casesById = {};
    const body = document.querySelector('#cases tbody');
    const select = document.querySelector('#plan select[name=caseId]');
    const rows = [];
    const options = [];
    cases.forEach(function (c) {
      casesById[c.caseId] = c;
      const tr = document.createElement('tr');
      cell(tr, c.name || c.caseId);
      cell(tr, c.targetAuthority);
      const hold = cell(tr, c.onHold ? 'ON HOLD' + (c.hold && c.hold.placedAt ? ' since ' + c.hold.placedAt.substring(0, 10) : '') : 'none');
      if (c.onHold) { hold.className = 'held'; }
      rows.push(tr);
      const option = document.createElement('option');
      option.value = c.caseId;
      option.textContent = (c.name || c.caseId) + (c.onHold ? ' (on hold)' : '');
      option.disabled = c.onHold;
      options.push(option);
    });
    body.replaceChildren.apply(body, rows);
    const selected = select.value;
    select.replaceChildren.apply(select, options);
    if (selected) { select.value = selected; }
  }

  async function loadDeliveries() {
    const status = document.getElementById('status-filter').value;
    const list = await (await api('GET', '/api/v1/deliveries' + (status ? '?status=' + encodeURIComponent(status) : ''))).json();
    const body = document.querySelector('#deliveries tbody');
    body.replaceChildren.apply(body, list.map(function (d) {
      const tr = document.createElement('tr');
      const held = casesById[d.caseId] && casesById[d.caseId].onHold;
      cell(tr, d.plannedFor ? d.plannedFor.substring(0, 10) : '');
      cell(tr, d.caseId + (held ? ' (on hold)' : ''));
      cell(tr, d.kind);
      cell(tr, d.recipient ? d.recipient.name + ' (' + d.recipient.kind + ')' : '');
      cell(tr, d.place ? [d.place.city, d.place.country].filter(Boolean).join(', ') : '');
      cell(tr, d.status);
      cell(tr, d.handover ? d.handover.total : '');
      const actions = cell(tr, '');
      if (d.status === 'planned' && !held) {
        actions.appendChild(button('Record handover', function () { return openHandover(d); }));
      }
      if (d.status === 'planned') {
        actions.appendChild(button('Cancel', function () { return cancel(d); }));
      }
      if (d.status === 'delivered' && !held) {
        actions.appendChild(button('Delivery pack', function () { return downloadPack(d); }));
      }
      return tr;
    }));
  }

  async function refresh() {
    await loadCases();
    await loadDeliveries();
    document.getElementById('sign-in').hidden = true;
    document.getElementById('app').hidden = false;
  }

  function iso(localValue) { return localValue ? new Date(localValue).toISOString() : null; }

  async function openHandover(d) {
    current = d;
    document.getElementById('handover-target').textContent =
      d.caseId + ': ' + d.kind + ' to ' + (d.recipient ? d.recipient.name : '');
    document.getElementById('handover').reset();
    document.getElementById('handover-dialog').showModal();
  }

  async function cancel(d) {
    const reason = window.prompt('Reason for cancelling (optional)') || null;
    await api('POST', '/api/v1/deliveries/' + d.id + '/cancel', { reason: reason });
    show('Cancelled.');
    await refresh();
  }

  async function downloadPack(d) {
    const response = await api('GET', '/api/v1/deliveries/' + d.id + '/pack');
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'delivery-pack-' + d.caseId + '.pdf';
    link.click();
    URL.revokeObjectURL(link.href);
    show('Pack downloaded; SHA-256 ' + (response.headers.get('X-Pack-SHA256') || ''));
  }

  document.getElementById('sign-in').addEventListener('submit', function (event) {
    event.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('w4r.token', token);
    show('');
    refresh().catch(function (e) { show(e.message); });
  });

  document.getElementById('plan').addEventListener('submit', function (event) {
    event.preventDefault();
    const f = event.target.elements;
    const body = {
      caseId: f.caseId.value, kind: f.kind.value,
      recipient: { kind: f.recipientKind.value, name: f.recipientName.value },
      place: { city: f.city.value || null, country: f.country.value ? f.country.value.toUpperCase() : null },
      entityId: f.entityId.value || null,
      plannedFor: new Date(f.plannedFor.value + 'T00:00:00Z').toISOString()
    };
    api('POST', '/api/v1/deliveries', body)
      .then(function () { show('Planned.'); event.target.reset(); return refresh(); })
      .catch(function (e) { show(e.message); });
  });

  document.getElementById('handover').addEventListener('submit', function (event) {
    event.preventDefault();
    const f = event.target.elements;
    const body = {
      deliveredAt: iso(f.deliveredAt.value), cutoff: iso(f.cutoff.value), deliveredBy: f.deliveredBy.value,
      notes: f.notes.value || null,
      evidence: f.evidence.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean)
    };
    api('POST', '/api/v1/deliveries/' + current.id + '/handover', body)
      .then(function () { document.getElementById('handover-dialog').close(); show('Handover recorded.'); return refresh(); })
      .catch(function (e) { show(e.message); });
  });

  document.getElementById('handover-close').addEventListener('click', function () {
    document.getElementById('handover-dialog').close();
  });
  document.getElementById('status-filter').addEventListener('change', function () {
    loadDeliveries().catch(function (e) { show(e.message); });
  });

  setInterval(function () { if (token) { refresh().catch(function (e) { show(e.message); }); } }, 10000);
  if (token) { refresh().catch(function (e) { show(e.message); }); }
})();
