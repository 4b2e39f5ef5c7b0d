// Polls the totals with the staff token kept in this tab only. Everything is written as text, never as HTML.
(function () {
  const form = document.getElementById('sign-in');
  const error = document.getElementById('error');
  let token = sessionStorage.getItem('w4r.token');

  function row(cells) {
    const tr = document.createElement('tr');
    cells.forEach(function (value) {
      const td = document.createElement('td');
      td.textContent = value == null ? '' : String(value);
      tr.appendChild(td);
    });
    return tr;
  }

  function fill(tableId, rows) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren.apply(body, rows.map(row));
  }

  async function refresh() {
    const response = await fetch('/api/v1/totals', { headers: { Authorization: 'Bearer ' + token } });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem('w4r.token');
      token = null;
      form.hidden = false;
      document.getElementById('overview').hidden = true;
      error.textContent = 'This token is not accepted.';
      return;
    }
    const totals = await response.json();
    form.hidden = true;
    document.getElementById('overview').hidden = false;
    document.getElementById('total').textContent = totals.total.toLocaleString('en');
    document.getElementById('campaign').textContent = totals.campaignId;
    fill('cases', totals.cases.map(function (c) {
      return [c.name || c.caseId, c.total.toLocaleString('en'), c.goal == null ? '' : c.goal.toLocaleString('en')];
    }).concat([['(no case)', totals.withoutCase.toLocaleString('en'), '']]));
    fill('entities', totals.entities.map(function (e) { return [e.entityId, e.total.toLocaleString('en')]; }));
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('w4r.token', token);
    error.textContent = '';
    refresh();
  });

  setInterval(function () { if (token) { refresh().catch(function () {}); } }, 1000);
  if (token) { refresh(); }
})();
