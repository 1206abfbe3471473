import Foundation

/// `/docs`: the OpenAPI document as a readable reference page, rendered on the server from the
/// document itself (no CDN, no script).
enum DocsPage {
    static func render(_ json: String) -> String {
        guard let document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return Dashboard.page(title: "API", body: "<p>The OpenAPI document does not parse.</p>")
        }
        let info = document["info"] as? [String: Any] ?? [:]
        var body = "<section><h2>\(escape(info["title"] as? String ?? "API"))</h2><p>\(prose(info["description"] as? String ?? ""))</p>"
        body += "<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI \(escape(document["openapi"] as? String ?? "")))</p></section>"
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        for path in paths.keys.sorted() {
            for method in ["get", "post", "put", "patch", "delete"] {
                guard let operation = paths[path]?[method] as? [String: Any] else { continue }
                body += "<section class=\"operation\" id=\"\(escape(operation["operationId"] as? String ?? ""))\">"
                body += "<h3><span class=\"method \(method)\">\(method.uppercased())</span> <code>\(escape(path))</code></h3>"
                body += "<p>\(prose(operation["summary"] as? String ?? ""))</p>"
                if let description = operation["description"] as? String { body += "<p class=\"note\">\(prose(description))</p>" }
                if let security = operation["security"] as? [[String: Any]] {
                    body += security.contains { $0.isEmpty }
                        ? "<p class=\"note\">Open, unless the gateway has <code>GATEWAY_READ_TOKEN</code>: then send <code>Authorization: Bearer &lt;GATEWAY_READ_TOKEN&gt;</code>.</p>"
                        : "<p class=\"note\">Needs <code>Authorization: Bearer &lt;GATEWAY_TOKEN&gt;</code>.</p>"
                }
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                if !parameters.isEmpty {
                    body += "<table><thead><tr><th>Parameter</th><th>In</th><th>Description</th></tr></thead><tbody>"
                    for parameter in parameters {
                        body += "<tr><td><code>\(escape(parameter["name"] as? String ?? ""))</code></td><td>\(escape(parameter["in"] as? String ?? ""))</td>"
                        body += "<td>\(prose(parameter["description"] as? String ?? ""))</td></tr>"
                    }
                    body += "</tbody></table>"
                }
                if let request = operation["requestBody"] as? [String: Any],
                    let schema = ((request["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any],
                    let reference = schema["$ref"] as? String {
                    body += "<p>Body: <a href=\"#schema-\(escape(name(reference)))\">\(escape(name(reference)))</a></p>"
                }
                let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                body += "<ul class=\"responses\">" + responses.keys.sorted().map { code in
                    "<li><code>\(escape(code))</code> \(prose(responses[code]?["description"] as? String ?? ""))</li>"
                }.joined() + "</ul></section>"
            }
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]] ?? [:]
        body += "<section><h2>Schemas</h2>"
        for schemaName in schemas.keys.sorted() {
            body += "<h3 id=\"schema-\(escape(schemaName))\">\(escape(schemaName))</h3>"
            if let description = schemas[schemaName]?["description"] as? String { body += "<p class=\"note\">\(prose(description))</p>" }
            let properties = schemas[schemaName]?["properties"] as? [String: [String: Any]] ?? [:]
            body += "<table><tbody>" + properties.keys.sorted().map { property in
                let detail = properties[property] ?? [:]
                let type = (detail["type"] as? String) ?? (detail["type"] as? [String])?.joined(separator: " or ") ?? (detail["$ref"] as? String).map(name) ?? "array"
                return "<tr><td><code>\(escape(property))</code></td><td>\(escape(type))</td><td>\(prose(detail["description"] as? String ?? ""))</td></tr>"
            }.joined() + "</tbody></table>"
        }
        body += "</section>"
        return Dashboard.page(title: "API", body: body)
    }

    static func name(_ reference: String) -> String { String(reference.split(separator: "/").last ?? "") }

    /// Escaped text with the document's `backticks` as code.
    static func prose(_ text: String) -> String {
        escape(text).split(separator: "`", omittingEmptySubsequences: false).enumerated().map { index, part in
            index % 2 == 1 ? "<code>\(part)</code>" : String(part)
        }.joined()
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
