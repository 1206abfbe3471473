/// The dashboard's one script and one stylesheet, served from `/assets/`.
enum DashboardAssets {
    static let script = #"""
    "use strict";
    const tokenKey = "starstream-token";
    const token = () => sessionStorage.getItem(tokenKey) || "";

    function el(tag, attributes, ...children) {
      const node = document.createElement(tag);
      for (const [key, value] of Object.entries(attributes || {})) {
        if (key.startsWith("on")) node.addEventListener(key.slice(2), value); else node.setAttribute(key, value);
      }
      for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
      return node;
    }

    function showError(text) { document.getElementById("error").textContent = text || ""; }

    async function api(path, options = {}) {
      const headers = Object.assign({}, options.headers || {});
      if (token()) headers["Authorization"] = "Bearer " + token();
      const response = await fetch(path, Object.assign({}, options, { headers }));
      if (response.status === 204) return null;
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error((body && (body.detail || body.title)) || response.statusText);
      return body;
    }

    function sparkline(values) {
      const width = 160, height = 28, svgNS = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("width", width); svg.setAttribute("height", height); svg.setAttribute("class", "sparkline");
      if (values.length > 1) {
        const max = Math.max(...values, 1e-9);
        const points = values.map((v, i) => `${(i / (values.length - 1) * width).toFixed(1)},${(height - 2 - v / max * (height - 4)).toFixed(1)}`);
        const line = document.createElementNS(svgNS, "polyline");
        line.setAttribute("points", points.join(" ")); line.setAttribute("fill", "none"); line.setAttribute("stroke", "currentColor");
        svg.append(line);
      }
      return svg;
    }

    async function renderOverview() {
      const status = await api("/api/status");
      const services = document.querySelector("#services tbody");
      services.replaceChildren(...status.services.map(s => {
        const state = s.ready ? "ready" : s.reachable ? "not ready" : "down";
        const details = s.report ? Object.entries(s.report.checks).filter(([, v]) => v !== "ok").map(([k, v]) => `${k}: ${v}`).join("; ")
          + (s.report.startup !== "done" ? ` start-up: ${s.report.startup}` : "") : (s.error || "");
        return el("tr", { "data-service": s.name }, el("td", {}, s.name), el("td", { class: "state " + state.replace(" ", "-") }, state), el("td", {}, details));
      }));
      const rates = new Map((status.throughput || []).map(t => [t.stream + "|" + t.group, t]));
      const rows = [];
      for (const stream of status.streams) {
        const groups = stream.groups.length ? stream.groups : [null];
        groups.forEach((group, index) => {
          const rate = group ? rates.get(stream.name + "|" + group.name) : null;
          rows.push(el("tr", { "data-stream": stream.name },
            el("td", {}, index === 0 ? stream.name : ""), el("td", {}, index === 0 ? stream.length : ""),
            el("td", {}, group ? group.name : "—"), el("td", {}, group ? group.consumers : ""),
            el("td", {}, group && group.lag != null ? group.lag : ""), el("td", {}, group ? group.pending : ""),
            el("td", {}, rate ? sparkline(rate.per_second) : "", rate ? ` ${rate.recent_per_second.toFixed(1)}/s` : ""),
            el("td", { class: stream.deadLetters > 0 ? "alert" : "" }, index === 0 ? stream.deadLetters : "")));
        });
      }
      document.querySelector("#streams tbody").replaceChildren(...rows);
      document.getElementById("age").textContent = `Snapshot ${status.ageSeconds.toFixed(1)} s old.`;
      showError("");
      // The newest version of each kind and the newest drift verdict; their services may be down.
      const models = await api("/api/models").catch(() => null);
      const latest = new Map();
      for (const m of models || []) if (!latest.has(m.kind) || latest.get(m.kind).model_version < m.model_version) latest.set(m.kind, m);
      document.querySelector("#latest tbody").replaceChildren(...(models ? [...latest.values()].map(m => el("tr", { "data-latest": m.kind },
        el("td", {}, el("a", { href: `/models/${m.kind}/${m.model_version}` }, `${m.kind}@${m.model_version}`)), el("td", {}, (m.trained_at || "").slice(0, 19)),
        el("td", {}, (100 * m.accuracy).toFixed(1) + "%"), el("td", {}, (100 * m.macro_f1).toFixed(1) + "%"))) : [el("tr", {}, el("td", { colspan: "4" }, "trainer unavailable"))]));
      const reports = await api("/api/drift/reports").catch(() => null);
      const newest = reports && reports[0];
      document.getElementById("drift-verdict").textContent = reports == null ? "Drift: drift-monitor unavailable."
        : !newest ? "Drift: no report yet."
        : `Drift: report #${newest.id} (${newest.report.pipeline}, ${newest.report.model}): ${newest.report.dataset_drift ? "DATASET DRIFT" : "no dataset drift"}, ${newest.report.columns.filter(c => c.drifted).length} of ${newest.report.columns.length} columns drifted.`;
    }

    async function act(description, path, method) {
      try {
        const result = await api(path, { method });
        showError(`${description}: done${result ? " " + JSON.stringify(result) : ""}`);
        await renderDeadLetters();
      } catch (error) { showError(`${description}: ${error.message}`); }
    }

    let openStream = null, cursor = null;
    async function renderDeadLetters() {
      const counts = await api("/api/dead-letters");
      document.querySelector("#dlq-counts tbody").replaceChildren(...counts.map(c => el("tr", { "data-stream": c.stream },
        el("td", {}, c.stream), el("td", { class: c.dead_letters > 0 ? "alert" : "" }, c.dead_letters),
        el("td", {}, c.dead_letters > 0 ? [
          el("button", { onclick: () => showLetters(c.stream, true) }, "Show"), " ",
          el("button", { onclick: () => act(`replay all of ${c.stream}`, `/api/dead-letters/${c.stream}/replay`, "POST") }, "Replay all"), " ",
          el("button", { onclick: () => confirm(`Delete every dead letter of ${c.stream}?`) && act(`purge ${c.stream}`, `/api/dead-letters/${c.stream}`, "DELETE") }, "Purge"),
        ].reduce((fragment, node) => (fragment.append(node), fragment), document.createDocumentFragment()) : ""))));
      if (openStream) await showLetters(openStream, true);
    }

    async function showLetters(stream, fresh) {
      if (fresh) { cursor = null; document.querySelector("#letters tbody").replaceChildren(); }
      openStream = stream;
      const page = await api(`/api/dead-letters/${stream}?limit=50` + (cursor ? `&cursor=${cursor}` : ""));
      document.getElementById("letters-section").hidden = false;
      document.getElementById("letters-title").textContent = `${stream}.dlq (${page.total})`;
      document.querySelector("#letters tbody").append(...page.items.map(l => el("tr", { "data-id": l.id },
        el("td", {}, l.id), el("td", {}, l.at), el("td", {}, l.type || ""), el("td", {}, l.deliveries), el("td", { class: "error" }, l.error),
        el("td", {}, el("button", { onclick: () => act(`replay ${l.id}`, `/api/dead-letters/${stream}/${l.id}/replay`, "POST") }, "Replay"), " ",
          el("button", { onclick: () => act(`delete ${l.id}`, `/api/dead-letters/${stream}/${l.id}`, "DELETE") }, "Delete")))));
      cursor = page.next_cursor || null;
      document.getElementById("more").hidden = !cursor;
    }

    document.getElementById("token-form").addEventListener("submit", event => {
      event.preventDefault();
      const input = document.getElementById("token");
      if (input.value) sessionStorage.setItem(tokenKey, input.value); else sessionStorage.removeItem(tokenKey);
      input.value = "";
      document.getElementById("token-state").textContent = token() ? "token set for this tab" : "no token";
      refresh();
    });
    document.getElementById("token-state").textContent = token() ? "token set for this tab" : "no token";
    const more = document.getElementById("more");
    if (more) more.addEventListener("click", () => showLetters(openStream, false).catch(e => showError(e.message)));

    function refresh() {
      if (document.getElementById("services")) return renderOverview().catch(e => showError(e.message));
      if (document.getElementById("dlq-counts")) return renderDeadLetters().catch(e => showError(e.message));
    }
    refresh();
    if (document.getElementById("services")) setInterval(refresh, 5000);
    """#

    static let style = """
    body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
    header { display: flex; gap: 2em; align-items: center; padding: .6em 1.5em; background: #14213d; color: #fff; }
    header h1 { font-size: 1.2em; margin: 0; }
    header a { color: #fff; margin-right: 1em; }
    header form { margin-left: auto; }
    main { padding: 1em 1.5em; }
    table { border-collapse: collapse; background: #fff; margin-bottom: 1em; }
    th, td { padding: .3em .7em; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
    td.state.ready { color: #1a7f37; } td.state.not-ready, td.state.down, td.alert { color: #cf222e; font-weight: 600; }
    td.error { max-width: 40em; font-family: ui-monospace, monospace; font-size: 12px; }
    .note { color: #57606a; } #error { color: #cf222e; padding: 0 1.5em; }
    .sparkline { color: #0969da; vertical-align: middle; }
    .plot { width: 100%; max-width: 900px; height: auto; background: #fff; border: 1px solid #e3e6ea; }
    .empty { color: #57606a; background: #f6f8fa; border: 1px dashed #d0d7de; padding: .8em 1em; border-radius: 6px; max-width: 60em; }
    .charts { display: flex; flex-wrap: wrap; gap: 1em; }
    g.line-marker text { fill: #57606a; }
    .bar { display: inline-block; height: .8em; background: #0969da; vertical-align: middle; }
    .bar.negative { background: #cf222e; }
    .filters { display: flex; flex-wrap: wrap; gap: .8em; margin-bottom: 1em; }
    table.confusion td.diagonal { background: #dafbe1; font-weight: 600; } table.confusion td.off { background: #ffebe9; }
    .method { font-family: ui-monospace, monospace; padding: .1em .4em; border-radius: 3px; background: #ddf4ff; }
    .method.post { background: #dafbe1; } .method.delete { background: #ffebe9; }
    section.operation { background: #fff; padding: .5em 1em; margin-bottom: .8em; border-left: 3px solid #0969da; }
    """
}
