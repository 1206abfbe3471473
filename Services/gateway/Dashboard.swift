import Foundation
import Hummingbird

/// The web dashboard: HTML shells and one script and stylesheet, all served by the gateway (no
/// external asset, so it works with the network unplugged). The pages hold no data themselves:
/// the script reads the API with the token the user typed (kept in the tab's session storage),
/// so a `GATEWAY_READ_TOKEN` protects the dashboard's data as it protects the API.
enum Dashboard {
    static func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in html(page(title: "Overview", body: overviewBody)) }
        router.get("/dead-letters") { _, _ in html(page(title: "Dead letters", body: deadLettersBody)) }
        router.get("/docs") { _, _ in html(DocsPage.render(OpenAPIDocument.json)) }
        for (path, title) in [
            ("/spectra", "Spectra"), ("/spectra/:obsid", "Spectrum"), ("/papers", "Papers"), ("/papers/:id", "Paper"),
            ("/models", "Models"), ("/models/:kind/:version", "Model"), ("/drift", "Drift"),
        ] {
            router.get(RouterPath(path)) { _, _ in html(page(title: title, body: "<div id=\"view\"></div>")) }
        }
        router.get("/assets/views.js") { _, _ in asset(DashboardViews.script, type: "text/javascript; charset=utf-8") }
        router.get("/assets/dashboard.js") { _, _ in asset(DashboardAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/assets/dashboard.css") { _, _ in asset(DashboardAssets.style, type: "text/css; charset=utf-8") }
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Starstream</title><link rel="stylesheet" href="/assets/dashboard.css"></head>
        <body><header><h1>Starstream</h1><nav><a href="/">Overview</a><a href="/spectra">Spectra</a><a href="/papers">Papers</a><a href="/models">Models</a><a href="/drift">Drift</a><a href="/dead-letters">Dead letters</a><a href="/docs">API</a></nav>
        <form id="token-form"><label>Token <input id="token" type="password" autocomplete="off" placeholder="GATEWAY_TOKEN"></label>
        <button type="submit">Use</button><span id="token-state"></span></form></header>
        <main>\(body)</main><p id="error" role="alert"></p><script src="/assets/dashboard.js"></script><script src="/assets/views.js"></script></body></html>
        """
    }

    static let overviewBody = """
        <section><h2>Services</h2><table id="services"><thead><tr><th>Service</th><th>State</th><th>Details</th></tr></thead><tbody></tbody></table></section>
        <section><h2>Latest models and drift</h2><table id="latest"><thead><tr><th>Model</th><th>Trained</th><th>Held-out accuracy</th><th>Macro-F1</th></tr></thead><tbody></tbody></table>
        <p id="drift-verdict" class="note"></p></section>
        <section><h2>Streams</h2><p class="note" id="age"></p>
        <table id="streams"><thead><tr><th>Stream</th><th>Length</th><th>Group</th><th>Consumers</th><th>Lag</th><th>Pending</th><th>Read/s (last minutes)</th><th>Dead letters</th></tr></thead><tbody></tbody></table></section>
        """

    static let deadLettersBody = """
        <section><h2>Dead letters</h2><table id="dlq-counts"><thead><tr><th>Stream</th><th>Dead letters</th><th></th></tr></thead><tbody></tbody></table></section>
        <section id="letters-section" hidden><h2 id="letters-title"></h2>
        <table id="letters"><thead><tr><th>Id</th><th>When</th><th>Type</th><th>Attempts</th><th>Error</th><th></th></tr></thead><tbody></tbody></table>
        <button id="more" hidden>More</button></section>
        """
}
