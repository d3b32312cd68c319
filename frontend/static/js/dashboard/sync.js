// Keeping the dashboard current: the snapshot the page embeds, then `lesson.changed`
// events, each with the lesson's sequence number. The next number is applied, an older
// one ignored, and a jump means something was missed, so the snapshot is loaded again
// (events arriving meanwhile are queued and replayed through the same rule). Every
// (re)connect loads the snapshot too (docs/realtime.md). In a burst of pupils' taps an
// event may come without the lesson's summary; a `lesson.summary` follows that covers
// every change up to its `covers`, and the newest summary is the one shown.

export function sync(ctx, render) {
  let shown = -1; // the sequence number the screen shows
  let summarised = -1; // the change the shown summary covers
  let loading = null;
  let queued = [];

  function load(snapshot) {
    ctx.state = snapshot;
    ctx.rows = new Map(snapshot.pupils.map((r) => [r.pupil, r]));
    shown = snapshot.seq;
    summarised = snapshot.seq;
    ctx.root.dataset.seq = String(shown);
    ctx.root.dataset.summarised = String(summarised);
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
      const order = (e) => (e.type === "lesson.summary" ? e.covers + 0.5 : e.seq);
      const pending = loaded ? queued.sort((a, b) => order(a) - order(b)) : [];
      queued = [];
      pending.forEach(apply);
    })();
    return loading;
  }

  function applySummary(event) {
    if (event.covers <= summarised) return; // an older one than the screen shows
    summarised = event.covers;
    ctx.root.dataset.summarised = String(summarised);
    ctx.state.summary = event.summary;
    render(null); // the quadrant and the panels; no tile changed
  }

  function apply(event) {
    if (event.type === "lesson.summary") return applySummary(event);
    if (event.seq <= shown) return; // already in what the screen shows
    if (event.seq !== shown + 1) {
      fetchSnapshot(); // a gap: something was missed
      return;
    }
    shown = event.seq;
    ctx.root.dataset.seq = String(shown);
    if (event.summary && event.seq > summarised) {
      ctx.state.summary = event.summary;
      summarised = event.seq;
      ctx.root.dataset.summarised = String(summarised);
    }
    if (event.row) ctx.rows.set(event.row.pupil, event.row);
    const known = event.row && ctx.gridEl.querySelector(`[data-pupil-card="${event.row.pupil}"]`);
    render(known ? event.row.pupil : undefined);
  }

  function onMessage(event) {
    if (!["lesson.changed", "lesson.summary"].includes(event.type) || event.lesson !== ctx.lessonId) return;
    if (loading) queued.push(event);
    else apply(event);
  }

  return { load, fetchSnapshot, onMessage };
}
