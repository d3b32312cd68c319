// Keeping the dashboard current: the snapshot the page embeds, then `lesson.changed`
// events, each with the lesson's sequence number. The next number is applied, an older
// one ignored, and a jump means something was missed, so the snapshot is loaded again
// (events arriving meanwhile are queued and replayed through the same rule). Every
// (re)connect loads the snapshot too (docs/realtime.md).

export function sync(ctx, render) {
  let shown = -1; // the sequence number the screen shows
  let loading = null;
  let queued = [];

  function load(snapshot) {
    ctx.state = snapshot;
    ctx.rows = new Map(snapshot.pupils.map((r) => [r.pupil, r]));
    shown = snapshot.seq;
    ctx.root.dataset.seq = String(shown);
    render();
  }

  function fetchSnapshot() {
    if (loading) return loading;
    loading = (async () => {
      let loaded = false;
      try {
        const response = await fetch(ctx.urls.snapshot, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (response.ok) {
          load(await response.json());
          loaded = true;
          ctx.root.dataset.snapshots = String(Number(ctx.root.dataset.snapshots || 0) + 1);
        }
      } catch {
        // Offline: the next (re)connect loads it.
      } finally {
        loading = null;
      }
      const pending = loaded ? queued.sort((a, b) => a.seq - b.seq) : [];
      queued = [];
      pending.forEach(apply);
    })();
    return loading;
  }

  function apply(event) {
    if (event.seq <= shown) return; // already in what the screen shows
    if (event.seq !== shown + 1) {
      fetchSnapshot(); // a gap: something was missed
      return;
    }
    shown = event.seq;
    ctx.root.dataset.seq = String(shown);
    ctx.state.summary = event.summary;
    if (event.row) ctx.rows.set(event.row.pupil, event.row);
    const known = event.row && ctx.gridEl.querySelector(`[data-pupil-card="${event.row.pupil}"]`);
    render(known ? event.row.pupil : undefined);
  }

  function onMessage(event) {
    if (event.type !== "lesson.changed" || event.lesson !== ctx.lessonId) return;
    if (loading) queued.push(event);
    else apply(event);
  }

  return { load, fetchSnapshot, onMessage };
}
