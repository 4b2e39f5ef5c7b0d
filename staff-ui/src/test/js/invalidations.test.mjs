// Bulk invalidation and its reversal (views/invalidations.js settled): one write at a time from its buttons, and a
// refusal 409 or an unknown outcome said only after the list of invalidations was read again. A double submit sent a
// second invalidation while the first was on its way; petition-service refused it 409 (the selection no longer held
// what was previewed) and the page said "Not invalidated" over "invalidated" (read-only review).
// Run: node --test staff-ui/src/test/js/ (the build runs it in staff-ui's test phase).
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.sessionStorage = { getItem: () => null, setItem() {}, removeItem() {} };
globalThis.window = { dispatchEvent() {} };

const { ApiError } = await import('../../main/resources/META-INF/resources/js/api.js');
const { settled } = await import('../../main/resources/META-INF/resources/js/views/invalidations.js');

const refusal = (status, slug) => new ApiError(status, { type: 'https://w4r.example.org/problems/' + slug, title: slug,
  detail: slug, status });

/** petition-service's invalidation of one previewed selection: taken once; sent again, the selection changed (409). */
function service() {
  const s = { stored: 0, sent: 0, log: [] };
  s.send = async () => {
    s.sent++;
    await new Promise((r) => setTimeout(r, 20)); // on its way
    if (s.stored > 0) { throw refusal(409, 'selection-changed'); }
    s.stored++;
    return { invalidationId: 'i1', actions: 320 };
  };
  return s;
}

test('a double submit invalidates once and says "done", never "not done" over it', async () => {
  const s = service();
  const confirm = { disabled: false };
  const invalidate = settled({ send: s.send, reload: async () => { s.log.push('reload'); },
    say: (outcome, x) => s.log.push(outcome === 'done' ? 'done ' + x.actions : outcome + ' ' + x.status), buttons: [confirm] });
  const first = invalidate();
  assert.equal(confirm.disabled, true, 'disabled while on its way');
  const second = invalidate(); // Enter pressed again before the answer
  await Promise.all([first, second]);
  assert.equal(s.sent, 1);
  assert.equal(s.stored, 1);
  assert.deepEqual(s.log, ['done 320', 'reload']);
  assert.equal(confirm.disabled, false);
});

test('a 409 is said once the list is read again', async () => {
  const s = service();
  s.stored = 1; // invalidated from another tab since the preview
  const reverse = settled({ send: s.send, reload: async () => { s.log.push('reload'); },
    say: (outcome, x) => s.log.push(outcome + ' ' + x.status) });
  await reverse();
  assert.deepEqual(s.log, ['reload', 'refused 409']);
});

test('an unknown outcome is said once the list is read again; another refusal at once', async () => {
  const log = [];
  const reload = async () => { log.push('reload'); };
  const say = (outcome) => log.push(outcome);
  await settled({ send: async () => { throw refusal(503, 'outcome-unknown'); }, reload, say })();
  await settled({ send: async () => { throw new TypeError('fetch failed'); }, reload, say })();
  await settled({ send: async () => { throw refusal(422, 'too-many-actions'); }, reload, say })();
  assert.deepEqual(log, ['reload', 'unknown', 'reload', 'unknown', 'refused']);
});
