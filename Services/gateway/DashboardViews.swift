/// The result pages' script: lists with filters and cursor paging, and one spectrum (flux and
/// continuum drawn with the measured lines marked), one paper, one model version (measures,
/// per-class F1 bars, confusion heatmap, reliability diagram, importances), the drift alerts
/// and reports (with each drifted column's histograms), all read from the gateway's API; every
/// empty list says what to do.
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
    const svgNS = "http://www.w3.org/2000/svg";
    function svgEl(tag, attributes, ...children) {
      const node = document.createElementNS(svgNS, tag);
      for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
      for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      return node;
    }
    // Flux and continuum over wavelength, with each measured line marked where it was looked
    // for and labelled (labels cycle through three rows so neighbours do not overprint).
    function plot(series, xs, lines = []) {
      const width = 900, height = 310, top = 44, svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, class: "plot", role: "img" });
      const all = series.flatMap(s => s.values.filter(Number.isFinite));
      const lo = Math.min(...all), hi = Math.max(...all), x0 = xs[0], x1 = xs[xs.length - 1];
      const x = w => (w - x0) / (x1 - x0) * width, y = v => top + (height - top) - (v - lo) / (hi - lo || 1) * (height - top);
      const visible = lines.filter(l => l.measured !== false && l.observed_wavelength >= x0 && l.observed_wavelength <= x1).sort((a, b) => a.observed_wavelength - b.observed_wavelength);
      visible.forEach((l, i) => {
        const at = x(l.observed_wavelength).toFixed(1), anchor = at < 40 ? "start" : at > width - 40 ? "end" : "middle";
        svg.append(svgEl("g", { class: "line-marker", "data-line": l.name },
          svgEl("line", { x1: at, x2: at, y1: top - 4, y2: height, stroke: "#8c959f", "stroke-dasharray": "3 3" }),
          svgEl("text", { x: at, y: 11 + 12 * (i % 3), "text-anchor": anchor, "font-size": "10" }, l.name.replace("_", " "))));
      });
      for (const s of series) {
        const points = [];
        s.values.forEach((v, i) => { if (Number.isFinite(v)) points.push(`${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`); });
        svg.append(svgEl("polyline", { points: points.join(" "), fill: "none", stroke: s.colour, "data-series": s.name }));
      }
      return el("figure", {}, svg, el("figcaption", {}, `${series.map(s => s.name).join(", ")} against wavelength ${x0.toFixed(0)}–${x1.toFixed(0)} Å; dashed: the ${visible.length} lines measured`));
    }
    // Reliability: per confidence bin, the share predicted right (bars) against the diagonal a
    // calibrated model would follow; the bin's count is written on its bar.
    function reliabilityDiagram(bins) {
      const size = 260, pad = 30, svg = svgEl("svg", { viewBox: `0 0 ${size + pad} ${size + pad}`, width: size + pad, height: size + pad, class: "reliability", role: "img" });
      const sx = v => pad + v * size, sy = v => size - v * size;
      svg.append(svgEl("line", { x1: sx(0), y1: sy(0), x2: sx(1), y2: sy(1), stroke: "#8c959f", "stroke-dasharray": "4 3" }));
      svg.append(svgEl("line", { x1: sx(0), y1: sy(0), x2: sx(1), y2: sy(0), stroke: "#57606a" }), svgEl("line", { x1: sx(0), y1: sy(0), x2: sx(0), y2: sy(1), stroke: "#57606a" }));
      for (const b of bins.filter(b => b.count > 0)) {
        svg.append(svgEl("rect", { x: sx(b.lower) + 1, y: sy(b.accuracy), width: size / 10 - 2, height: b.accuracy * size, fill: "#0969da", opacity: "0.75", "data-bin": b.lower.toFixed(1), "data-count": b.count },
          svgEl("title", {}, `confidence ${b.lower.toFixed(1)}–${b.upper.toFixed(1)}: ${b.count} rows, mean confidence ${b.mean_confidence.toFixed(2)}, ${pct(b.accuracy)} right`)));
        svg.append(svgEl("text", { x: sx(b.lower) + size / 20, y: sy(b.accuracy) - 3, "text-anchor": "middle", "font-size": "9" }, b.count));
      }
      svg.append(svgEl("text", { x: sx(0.5), y: size + 22, "text-anchor": "middle", "font-size": "11" }, "confidence"), svgEl("text", { x: 10, y: sy(0.5), "font-size": "11", transform: `rotate(-90 10 ${sy(0.5)})`, "text-anchor": "middle" }, "share right"));
      return el("figure", {}, svg, el("figcaption", {}, "Reliability: share right per confidence bin (dashed: perfectly calibrated)"));
    }
    // A drifted column: reference (grey) and current (red) shares per bin or category.
    function histogram(name, h) {
      const width = 420, height = 120, svg = svgEl("svg", { viewBox: `0 0 ${width} ${height + 16}`, width, height: height + 16, class: "histogram", role: "img", "data-column": name });
      const norm = v => { const t = v.reduce((a, b) => a + b, 0) || 1; return v.map(x => x / t); };
      const ref = norm(h.reference), cur = norm(h.current), peak = Math.max(...ref, ...cur) || 1, step = width / Math.max(ref.length, 1);
      ref.forEach((v, i) => {
        svg.append(svgEl("rect", { x: i * step + 1, y: height - v / peak * height, width: step / 2 - 1, height: v / peak * height, fill: "#8c959f" }));
        svg.append(svgEl("rect", { x: i * step + step / 2, y: height - cur[i] / peak * height, width: step / 2 - 1, height: cur[i] / peak * height, fill: "#cf222e" }));
        if (h.labels) svg.append(svgEl("text", { x: i * step + step / 2, y: height + 12, "text-anchor": "middle", "font-size": "9" }, h.labels[i]));
      });
      const range = h.labels ? "" : ` over ${Number(h.edges[0]).toPrecision(3)} … ${Number(h.edges[h.edges.length - 1]).toPrecision(3)}`;
      return el("figure", {}, svg, el("figcaption", {}, `${name}: reference (grey) and current (red)${range}`));
    }
    function empty(text) { return el("p", { class: "empty" }, text); }
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
    async function pagedList(view, base, query, headers, row, emptyText) {
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
        if (!body.children.length && cursor == null) holder.replaceChildren(empty(query.toString() ? "Nothing matches these filters." : emptyText));
        if (cursor == null) more.setAttribute("hidden", ""); else more.removeAttribute("hidden");
      }
      more.addEventListener("click", () => next().catch(e => showError(e.message)));
      await next();
    }
    const views = {
      async spectra(view) {
        const fields = [["class", "Predicted class"], ["mk", "MK letter"], ["survey_class", "Survey class"], ["plan", "Plan"], ["correct", "Agrees (true/false)"], ["min_confidence", "Min. confidence"]];
        const show = query => pagedList(view, "/api/spectra", query, ["OBSID", "Survey", "Predicted class", "MK letter", "Model", "Agrees"], s =>
          el("tr", { "data-obsid": s.obsid }, el("td", {}, link(`/spectra/${s.obsid}`, s.obsid)), el("td", {}, `${s.survey_class} ${s.survey_subclass || ""}`),
            el("td", {}, best(s.class)), el("td", {}, best(s.mk_letter)), el("td", {}, s.class ? s.class.model : ""), el("td", {}, s.class_correct == null ? "" : s.class_correct ? "yes" : "no")),
          "No classified spectra yet: enqueue LAMOST plans (POST /api/actions/fetch, or `fetcher enqueue`), then train a model on the Models page.").catch(e => showError(e.message));
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
            { name: "continuum", colour: "#cf222e", values: continuum }], xs, (s.features && s.features.lines) || []));
        }
        if (s.prediction) {
          for (const [name, p] of [["CLASS", s.prediction.class], ["MK letter", s.prediction.mk_letter]]) {
            if (!p) continue;
            view.append(el("h3", {}, `${name}: ${p.label}${p.subtype ? ` (subtype ${p.subtype}, type index ${p.type_index.toFixed(1)})` : ""} — ${p.model}`), table(["Label", "Probability"], Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]).map(([label, v]) =>
              el("tr", { "data-label": label }, el("td", {}, label), el("td", {}, el("span", { class: "bar", style: `width:${(v * 200).toFixed(0)}px` }), " ", pct(v))))));
            const x = p.explanation;
            if (x && x.contributions && x.contributions.length) {
              // TreeSHAP: each feature's signed push towards the label, on the model's own scale.
              const scale = x.scale === "log_odds" ? "log-odds" : "probability";
              const widest = Math.max(...x.contributions.map(c => Math.abs(c.contribution)), 1e-12);
              view.append(el("h4", {}, `Why ${x.label}: the features that moved it most (${scale}, from ${x.base.toFixed(3)} on average to ${x.total.toFixed(3)})`),
                table(["Feature", "Value", "Contribution"], x.contributions.map(c => el("tr", { "data-contribution": c.feature }, el("td", {}, c.feature), el("td", {}, c.value.toFixed(3)),
                  el("td", {}, el("span", { class: c.contribution >= 0 ? "bar" : "bar negative", style: `width:${(Math.abs(c.contribution) / widest * 160).toFixed(0)}px` }), " ", (c.contribution >= 0 ? "+" : "") + c.contribution.toFixed(3))))));
            }
          }
          const earlier = await api(`/api/spectra/${obsid}/history`).catch(() => []);
          if (earlier.length) view.append(el("h3", {}, "What earlier models said"), table(["Model", "Answer", "Replaced by"], earlier.map(h =>
            el("tr", { "data-history": h.model }, el("td", {}, h.model), el("td", {}, best(h.prediction) + (h.prediction.subtype ? ` (${h.prediction.subtype})` : "")), el("td", {}, h.replaced_by)))));
        } else view.append(empty("Not classified yet: the classifier predicts it once a spectra-class model is trained (Models page)."));
        if (s.features && s.features.features) {
          const f = s.features.features;
          const names = f.names || Object.keys(f.values || {});
          const values = f.values || [];
          if (s.features.lines) view.append(el("h3", {}, "Measured lines"), table(["Line", "Rest λ (Å)", "Looked for at (Å)", "Equivalent width (Å)", "Depth"], s.features.lines.map(l =>
            el("tr", { "data-line": l.name }, el("td", {}, l.name), el("td", {}, l.rest_wavelength.toFixed(1)), el("td", {}, l.observed_wavelength.toFixed(1)),
              el("td", {}, l.equivalent_width != null ? l.equivalent_width.toFixed(2) : l.measured === false ? "— (not measured by this feature version)" : "— (outside the spectrum or masked)"), el("td", {}, l.depth == null ? "—" : l.depth.toFixed(3))))));
          view.append(el("h3", {}, `All features (${f.version || ""})`), table(["Feature", "Value"], names.map((n, i) => el("tr", {}, el("td", {}, n), el("td", {}, values[i] == null ? "—" : Number(values[i]).toFixed(3))))));
        } else view.append(empty("No features yet: the feature extractor measures the spectrum after the preprocessor has run."));
        view.append(el("h3", {}, "Catalog row"), table(["Field", "Value"], Object.entries(catalog).filter(([, v]) => typeof v !== "object").map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", {}, v)))));
      },
      async papers(view) {
        const fields = [["category", "Category or archive"], ["from", "From (YYYY-MM-DD)"], ["until", "Until"], ["q", "Words"], ["correct", "Category predicted right (true/false)"]];
        const show = query => pagedList(view, "/api/papers", query, ["Id", "Title", "Category", "First submitted"], p =>
          el("tr", { "data-paper": p.id }, el("td", {}, link(`/papers/${encodeURIComponent(p.id)}`, p.id)), el("td", {}, p.title), el("td", {}, p.primary_category), el("td", {}, p.first_published.slice(0, 10))),
          "No papers yet: start an arXiv backfill (POST /api/actions/arxiv-backfill with from and until) or wait for the poller's next poll.").catch(e => showError(e.message));
        view.append(filterForm(fields, show));
        await show(new URLSearchParams(location.search));
      },
      async paper(view, id) {
        const p = await api(`/api/papers/${encodeURIComponent(decodeURIComponent(id))}`);
        const a = p.article;
        view.append(el("h2", {}, a.title), el("p", { class: "note" }, `${a.id}v${a.version} · ${a.primary_category} · ${(a.authors || []).map(x => x.name).join(", ")}`), el("p", {}, a.summary));
        if (p.summary) {
          view.append(el("h3", {}, `Summary (${p.summary.method}${p.summary.model ? ", " + p.summary.model : ""})`), el("p", { class: "summary" }, p.summary.summary));
          const translations = Object.entries(p.summary.translations || {});
          for (const [language, text] of translations) view.append(el("h3", {}, `Translation: ${language}`), el("p", { "data-language": language }, text));
          if (!translations.length) view.append(empty("No translations: the summarizer translates only with an LLM configured (LLM_API_KEY, LLM_BASE_URL); the extractive default does not translate."));
        } else view.append(empty("No summary yet: the summarizer writes one for every stored paper; it may be behind or stopped (see the overview)."));
        const categories = [a.primary_category, ...(a.categories || []).filter(c => c !== a.primary_category)];
        view.append(el("h3", {}, "arXiv's categories"), el("p", { "data-categories": categories.join(" ") }, categories.join(", ")));
        if (p.predictions) {
          for (const key of ["archive", "category"]) {
            const prediction = p.predictions[key];
            const truth = key === "archive" ? a.primary_category.split(".")[0] : a.primary_category;
            if (prediction && prediction.top) view.append(el("h3", {}, `Predicted ${key} (${prediction.model}) against arXiv's ${truth}`), table(["Label", "Probability", ""], prediction.top.map(t =>
              el("tr", { "data-predicted": t.label }, el("td", {}, t.label), el("td", {}, el("span", { class: "bar", style: `width:${(t.probability * 200).toFixed(0)}px` }), " ", pct(t.probability)), el("td", {}, t.label === truth ? "arXiv's" : "")))));
          }
        } else view.append(empty("Not classified yet: the classifier predicts categories once an arXiv model is trained."));
      },
      async models(view) {
        const models = await api("/api/models");
        const train = el("button", { onclick: async () => {
          try { const r = await api("/api/actions/train", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }); showError(""); train.textContent = `Training requested (${r.entry_id})`; }
          catch (e) { showError(e.message + " (set the token above)"); }
        } }, "Train now (needs the token)");
        view.append(el("p", {}, train));
        if (!models.length) { view.append(empty("No model yet: train one with the button above, POST /api/actions/train, or `trainer train`; the trainer needs catalogued spectra or stored papers.")); return; }
        view.append(el("h2", {}, "Model registry"), table(["Model", "Trained", "Train / validation", "Accuracy", "Balanced", "Macro-F1"], models.map(m =>
          el("tr", { "data-model": `${m.kind}@${m.model_version}` }, el("td", {}, link(`/models/${m.kind}/${m.model_version}`, `${m.kind}@${m.model_version}`)), el("td", {}, (m.trained_at || "").slice(0, 19)),
            el("td", {}, `${m.train_count} / ${m.validation_count}`), el("td", {}, pct(m.accuracy)), el("td", {}, pct(m.balanced_accuracy)), el("td", {}, pct(m.macro_f1))))));
        // What a new model does to what is already stored: the classifier's re-classification.
        const jobs = await api("/api/reclassification").catch(() => []);
        if (jobs.length) view.append(el("h2", {}, "Re-classification with the current models"), table(["Pipeline", "State", "Models", "Examined", "Re-classified", "Started", "Finished"], jobs.map(j =>
          el("tr", { "data-reclassification": j.pipeline }, el("td", {}, j.pipeline), el("td", {}, j.state + (j.error ? ` (${j.error})` : "")), el("td", {}, j.models.join(", ")),
            el("td", {}, j.total != null ? `${j.counts.examined} of ${j.total}` : `${j.counts.examined}`), el("td", {}, j.counts.reclassified + (j.counts.without_vector ? ` (${j.counts.without_vector} stored without a vector kept their answer)` : "")),
            el("td", {}, (j.started_at || "").slice(0, 19)), el("td", {}, (j.finished_at || "").slice(0, 19))))));
      },
      async model(view, kind, version) {
        const e = await api(`/api/models/${kind}/${version}`);
        const v = e.validation || {};
        view.append(el("h2", {}, `${kind}@${version}`), table(["Held-out measure", "Value"], ["accuracy", "balanced_accuracy", "macro_f1", "top3_accuracy", "expected_calibration_error", "brier_score"].filter(k => v[k] != null).map(k => el("tr", {}, el("td", {}, k), el("td", {}, Number(v[k]).toFixed(3))))));
        if (v.classes) view.append(el("h3", {}, "Per class"), table(["Class", "Precision", "Recall", "F1", "Support"], v.classes.map(c => el("tr", { "data-class": c.label }, el("td", {}, c.label), el("td", {}, c.precision.toFixed(3)), el("td", {}, c.recall.toFixed(3)), el("td", {}, el("span", { class: "bar", style: `width:${(c.f1 * 160).toFixed(0)}px` }), " ", c.f1.toFixed(3)), el("td", {}, c.support)))));
        if (v.reliability) view.append(el("h3", {}, "Calibration"), reliabilityDiagram(v.reliability));
        if (v.confusion && v.labels) view.append(el("h3", {}, "Confusion (rows: true, columns: predicted)"), el("table", { class: "confusion" }, el("thead", {}, el("tr", {}, el("th", {}, ""), ...v.labels.map(l => el("th", {}, l)))),
          el("tbody", {}, ...v.confusion.map((row, i) => el("tr", {}, el("th", {}, v.labels[i]), ...row.map((n, j) => {
            const share = n / (row.reduce((a, b) => a + b, 0) || 1);
            return el("td", { "data-cell": `${v.labels[i]}|${v.labels[j]}`, class: i === j ? "diagonal" : n > 0 ? "off" : "", style: n > 0 ? `background: rgba(${i === j ? "26,127,55" : "207,34,46"},${(0.12 + 0.6 * share).toFixed(2)})` : "" }, n);
          }))))));
        const importances = e.permutation_importances || [];
        if (importances.length) view.append(el("h3", {}, "Permutation importances"), table(["Feature", "Drop in balanced accuracy"], importances.slice(0, 15).map(i => el("tr", {}, el("td", {}, i.feature || i.name), el("td", {}, Number(i.importance ?? i.value).toFixed(4))))));
        const set = await api(`/api/models/${kind}/${version}/training-set`);
        view.append(el("p", { class: "note" }, `Trained and validated on ${set.length} examples.`));
      },
      async drift(view) {
        const [reports, alerts] = await Promise.all([api("/api/drift/reports"), api("/api/drift/alerts")]);
        view.append(el("h2", {}, "Alerts"));
        view.append(alerts.length ? table(["Report", "Pipeline", "Model", "When", "Why"], alerts.map(a => el("tr", { "data-alert": a.report_id }, el("td", {}, `#${a.report_id}`), el("td", {}, a.pipeline), el("td", {}, a.model),
          el("td", {}, (a.created_at || "").slice(0, 19)), el("td", { class: "alert" }, a.reasons.join("; "))))) : empty("No alerts: no report found dataset drift or live accuracy far below the held-out one."));
        view.append(el("h2", {}, "Reports"));
        if (!reports.length) { view.append(empty("No drift report yet: the drift monitor writes one every DRIFT_EVERY predictions of a pipeline, against its model's reference.")); return; }
        view.append(table(["Report", "Pipeline", "Model", "When", "Window", "Drifted columns", "Live / held-out accuracy", "Verdict"], reports.map(({ id, report }) =>
          el("tr", { "data-report": id }, el("td", {}, el("a", { href: `#report-${id}` }, `#${id}`)), el("td", {}, report.pipeline), el("td", {}, report.model),
            el("td", {}, (report.created_at || "").slice(0, 19)), el("td", {}, report.window), el("td", {}, `${report.columns.filter(c => c.drifted).length} of ${report.columns.length}`),
            el("td", {}, `${pct(report.live_accuracy)} / ${pct(report.reference_accuracy)}`), el("td", { class: report.dataset_drift ? "alert" : "" }, report.dataset_drift ? "drift" : "no drift")))));
        for (const { id, report } of reports.slice(0, 10)) {
          const section = el("section", { id: `report-${id}`, class: "report" }, el("h3", {}, `#${id} ${report.pipeline} against ${report.model}: ${report.dataset_drift ? "drift" : "no drift"}`));
          const drifted = report.columns.filter(c => c.drifted);
          section.append(drifted.length ? table(["Drifted column", "Test", "Statistic", "p-value"], drifted.map(c => el("tr", {}, el("td", {}, c.column), el("td", {}, c.test || ""), el("td", {}, c.statistic == null ? "" : Number(c.statistic).toFixed(3)), el("td", {}, c.p_value == null ? "" : Number(c.p_value).toExponential(2)))))
            : empty("No column drifted."));
          const charts = el("div", { class: "charts" }, ...Object.entries(report.histograms || {}).sort().map(([name, h]) => histogram(name, h)));
          section.append(charts);
          const full = el("button", { onclick: async () => {
            const headers = token() ? { Authorization: "Bearer " + token() } : {};
            const response = await fetch(`/api/drift/reports/${id}/html`, { headers });
            if (!response.ok) { showError(`report ${id}: ${response.status}`); return; }
            open(URL.createObjectURL(new Blob([await response.text()], { type: "text/html" })));
          } }, "Open the full report");
          section.append(el("p", {}, full));
          view.append(section);
        }
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
