/// The result pages' script: lists with filters and cursor paging, and one spectrum (with its
/// flux and continuum drawn), one paper, one model version (measures, per-class F1,
/// confusion matrix, importances) and the drift reports, all read from the gateway's API.
enum DashboardViews {
    static let script = #"""
    "use strict";
    function table(headers, rows) {
      return el("table", {}, el("thead", {}, el("tr", {}, ...headers.map(h => el("th", {}, h)))), el("tbody", {}, ...rows));
    }
    function link(href, text) { return el("a", { href }, text); }
    function pct(value) { return value == null ? "" : (100 * value).toFixed(1) + "%"; }
    function best(prediction) {
      if (!prediction) return "";
      const p = prediction.probabilities ? prediction.probabilities[prediction.label] : null;
      return `${prediction.label}${p != null ? " (" + pct(p) + ")" : ""}`;
    }
    function floats(base64) {
      const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
      const view = new DataView(bytes.buffer);
      return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
    }
    function plot(series, xs) {
      const width = 900, height = 260, svgNS = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`); svg.setAttribute("class", "plot"); svg.setAttribute("role", "img");
      const all = series.flatMap(s => s.values.filter(Number.isFinite));
      const lo = Math.min(...all), hi = Math.max(...all), x0 = xs[0], x1 = xs[xs.length - 1];
      for (const s of series) {
        const points = [];
        s.values.forEach((v, i) => { if (Number.isFinite(v)) points.push(`${((xs[i] - x0) / (x1 - x0) * width).toFixed(1)},${(height - (v - lo) / (hi - lo || 1) * height).toFixed(1)}`); });
        const line = document.createElementNS(svgNS, "polyline");
        line.setAttribute("points", points.join(" ")); line.setAttribute("fill", "none"); line.setAttribute("stroke", s.colour); line.setAttribute("data-series", s.name);
        svg.append(line);
      }
      return el("figure", {}, svg, el("figcaption", {}, `${series.map(s => s.name).join(", ")} against wavelength ${x0.toFixed(0)}–${x1.toFixed(0)} Å`));
    }
    function filterForm(fields, onSubmit) {
      const params = new URLSearchParams(location.search);
      const form = el("form", { class: "filters" }, ...fields.map(([name, label]) => el("label", {}, label + " ", el("input", { name, value: params.get(name) || "" }))), el("button", { type: "submit" }, "Filter"));
      form.addEventListener("submit", event => {
        event.preventDefault();
        const query = new URLSearchParams();
        for (const [name] of fields) { const value = form.elements[name].value.trim(); if (value) query.set(name, value); }
        history.replaceState(null, "", location.pathname + (query.toString() ? "?" + query : ""));
        onSubmit(query);
      });
      return form;
    }
    async function pagedList(view, base, query, headers, row) {
      let cursor = null;
      const body = el("tbody");
      const more = el("button", { hidden: "" }, "More");
      const holder = el("div", {}, el("table", {}, el("thead", {}, el("tr", {}, ...headers.map(h => el("th", {}, h)))), body), more);
      view.querySelector(".results")?.remove(); holder.className = "results"; view.append(holder);
      async function next() {
        const q = new URLSearchParams(query); q.set("limit", "50"); if (cursor != null) q.set("cursor", cursor);
        const page = await api(`${base}?${q}`);
        body.append(...page.items.map(row));
        cursor = page.next_cursor ?? null;
        if (cursor == null) more.setAttribute("hidden", ""); else more.removeAttribute("hidden");
      }
      more.addEventListener("click", () => next().catch(e => showError(e.message)));
      await next();
    }
    const views = {
      async spectra(view) {
        const fields = [["class", "Predicted class"], ["mk", "MK letter"], ["survey_class", "Survey class"], ["correct", "Agrees (true/false)"], ["min_confidence", "Min. confidence"]];
        const show = query => pagedList(view, "/api/spectra", query, ["OBSID", "Survey", "Predicted class", "MK letter", "Model", "Agrees"], s =>
          el("tr", { "data-obsid": s.obsid }, el("td", {}, link(`/spectra/${s.obsid}`, s.obsid)), el("td", {}, `${s.survey_class} ${s.survey_subclass || ""}`),
            el("td", {}, best(s.class)), el("td", {}, best(s.mk_letter)), el("td", {}, s.class ? s.class.model : ""), el("td", {}, s.class_correct == null ? "" : s.class_correct ? "yes" : "no"))).catch(e => showError(e.message));
        view.append(filterForm(fields, show));
        await show(new URLSearchParams(location.search));
      },
      async spectrum(view, obsid) {
        const s = await api(`/api/spectra/${obsid}`);
        const catalog = s.catalog || {};
        view.append(el("h2", {}, `Spectrum ${obsid}: catalogued ${catalog.class || "?"} ${catalog.subclass || ""}`));
        if (s.spectrum) {
          const flux = floats(s.spectrum.flux), continuum = floats(s.spectrum.continuum), grid = s.spectrum.grid;
          const xs = flux.map((_, i) => Math.pow(10, grid.log10_start + i * grid.step));
          view.append(el("h3", {}, "Flux and fitted continuum"), plot([
            { name: "flux", colour: "#0969da", values: flux.map((f, i) => f === 0 ? NaN : f * continuum[i]) },
            { name: "continuum", colour: "#cf222e", values: continuum }], xs));
        }
        if (s.prediction) {
          for (const [name, p] of [["CLASS", s.prediction.class], ["MK letter", s.prediction.mk_letter]]) {
            if (!p) continue;
            view.append(el("h3", {}, `${name}: ${p.label} — ${p.model}`), table(["Label", "Probability"], Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]).map(([label, v]) =>
              el("tr", { "data-label": label }, el("td", {}, label), el("td", {}, el("span", { class: "bar", style: `width:${(v * 200).toFixed(0)}px` }), " ", pct(v))))));
          }
        } else view.append(el("p", { class: "note" }, "Not classified yet."));
        if (s.features && s.features.features) {
          const f = s.features.features;
          const names = f.names || Object.keys(f.values || {});
          const values = f.values || [];
          view.append(el("h3", {}, `Measured lines and features (${f.version || ""})`), table(["Feature", "Value"], names.map((n, i) => el("tr", {}, el("td", {}, n), el("td", {}, values[i] == null ? "—" : Number(values[i]).toFixed(3))))));
        }
        view.append(el("h3", {}, "Catalog row"), table(["Field", "Value"], Object.entries(catalog).filter(([, v]) => typeof v !== "object").map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", {}, v)))));
      },
      async papers(view) {
        const fields = [["category", "Category or archive"], ["from", "From (YYYY-MM-DD)"], ["until", "Until"], ["q", "Words"]];
        const show = query => pagedList(view, "/api/papers", query, ["Id", "Title", "Category", "First submitted"], p =>
          el("tr", { "data-paper": p.id }, el("td", {}, link(`/papers/${encodeURIComponent(p.id)}`, p.id)), el("td", {}, p.title), el("td", {}, p.primary_category), el("td", {}, p.first_published.slice(0, 10)))).catch(e => showError(e.message));
        view.append(filterForm(fields, show));
        await show(new URLSearchParams(location.search));
      },
      async paper(view, id) {
        const p = await api(`/api/papers/${encodeURIComponent(decodeURIComponent(id))}`);
        const a = p.article;
        view.append(el("h2", {}, a.title), el("p", { class: "note" }, `${a.id}v${a.version} · ${a.primary_category} · ${(a.authors || []).map(x => x.name).join(", ")}`), el("p", {}, a.summary));
        if (p.summary) {
          view.append(el("h3", {}, `Summary (${p.summary.method}${p.summary.model ? ", " + p.summary.model : ""})`), el("p", { class: "summary" }, p.summary.summary));
          for (const [language, text] of Object.entries(p.summary.translations || {})) view.append(el("h3", {}, `Translation: ${language}`), el("p", { "data-language": language }, text));
        }
        if (p.predictions) {
          for (const key of ["archive", "category"]) {
            const prediction = p.predictions[key];
            if (prediction && prediction.top) view.append(el("h3", {}, `Predicted ${key} (${prediction.model})`), table(["Label", "Probability"], prediction.top.map(t => el("tr", {}, el("td", {}, t.label), el("td", {}, pct(t.probability))))));
          }
        }
      },
      async models(view) {
        const models = await api("/api/models");
        view.append(el("h2", {}, "Model registry"), table(["Model", "Trained", "Train / validation", "Accuracy", "Balanced", "Macro-F1"], models.map(m =>
          el("tr", { "data-model": `${m.kind}@${m.model_version}` }, el("td", {}, link(`/models/${m.kind}/${m.model_version}`, `${m.kind}@${m.model_version}`)), el("td", {}, (m.trained_at || "").slice(0, 19)),
            el("td", {}, `${m.train_count} / ${m.validation_count}`), el("td", {}, pct(m.accuracy)), el("td", {}, pct(m.balanced_accuracy)), el("td", {}, pct(m.macro_f1))))));
      },
      async model(view, kind, version) {
        const e = await api(`/api/models/${kind}/${version}`);
        const v = e.validation || {};
        view.append(el("h2", {}, `${kind}@${version}`), table(["Held-out measure", "Value"], ["accuracy", "balanced_accuracy", "macro_f1", "top3_accuracy", "expected_calibration_error", "brier_score"].filter(k => v[k] != null).map(k => el("tr", {}, el("td", {}, k), el("td", {}, Number(v[k]).toFixed(3))))));
        if (v.classes) view.append(el("h3", {}, "Per class"), table(["Class", "Precision", "Recall", "F1", "Support"], v.classes.map(c => el("tr", { "data-class": c.label }, el("td", {}, c.label), el("td", {}, c.precision.toFixed(3)), el("td", {}, c.recall.toFixed(3)), el("td", {}, c.f1.toFixed(3)), el("td", {}, c.support)))));
        if (v.confusion && v.labels) view.append(el("h3", {}, "Confusion (rows: true, columns: predicted)"), el("table", { class: "confusion" }, el("thead", {}, el("tr", {}, el("th", {}, ""), ...v.labels.map(l => el("th", {}, l)))),
          el("tbody", {}, ...v.confusion.map((row, i) => el("tr", {}, el("th", {}, v.labels[i]), ...row.map((n, j) => el("td", { class: i === j ? "diagonal" : n > 0 ? "off" : "" }, n)))))));
        const importances = e.permutation_importances || [];
        if (importances.length) view.append(el("h3", {}, "Permutation importances"), table(["Feature", "Drop in balanced accuracy"], importances.slice(0, 15).map(i => el("tr", {}, el("td", {}, i.feature || i.name), el("td", {}, Number(i.importance ?? i.value).toFixed(4))))));
        const set = await api(`/api/models/${kind}/${version}/training-set`);
        view.append(el("p", { class: "note" }, `Trained and validated on ${set.length} examples.`));
      },
      async drift(view) {
        const reports = await api("/api/drift/reports");
        view.append(el("h2", {}, "Drift reports"), table(["Report", "Pipeline", "Model", "When", "Drifted columns", "Verdict"], reports.map(({ id, report }) =>
          el("tr", { "data-report": id }, el("td", {}, link(`/api/drift/reports/${id}/html`, id)), el("td", {}, report.pipeline), el("td", {}, report.model),
            el("td", {}, (report.created_at || "").slice(0, 19)), el("td", {}, `${report.columns.filter(c => c.drifted).length} of ${report.columns.length}`),
            el("td", { class: report.dataset_drift ? "alert" : "" }, report.dataset_drift ? "drift" : "no drift")))));
      },
    };
    async function renderView() {
      const view = document.getElementById("view");
      if (!view) return;
      const parts = location.pathname.split("/").filter(Boolean);
      const name = parts.length === 1 ? parts[0] : { spectra: "spectrum", papers: "paper", models: "model" }[parts[0]];
      view.replaceChildren();
      showError("");
      try { await views[name](view, ...parts.slice(1)); } catch (error) { showError(error.message); }
    }
    renderView();
    """#
}
